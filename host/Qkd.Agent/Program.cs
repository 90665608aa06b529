using Qkd.Agent.Cli;

return QkdCli.Run(args, Console.Out, Console.Error);
