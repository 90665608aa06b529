using System.Buffers;
using System.CommandLine;
using System.Text;
using System.Text.Json;
using Qkd.Agent.Cli;
using Qkd.Wire;
using Qkd.Wire.Contracts;

namespace Qkd.Agent.Verbs;

/// <summary>
/// `qkd wire decode FILE`: one JSON line per frame of a raw one-direction capture (serial sniffer),
/// damaged frames included, so an experimenter sees exactly what crossed the wire and where.
/// </summary>
internal sealed class WireDecodeVerb : IVerb
{
    public string Group => "wire";

    public Command Build(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "Raw capture of one direction of a board link." };
        var showRaw = new Option<bool>("--show-raw-key-material")
        {
            Description = "Also print MUX tables and detection records (hex, and records decoded to a list). " +
                          "They are raw key material: keep such output private.",
        };
        var command = new Command("decode", "Print every frame of a raw link capture as one JSON object per line.")
        {
            file,
            showRaw,
        };
        command.SetAction(parse => Decode(parse.GetValue(file)!, parse.GetValue(showRaw), context));
        return command;
    }

    private static int Decode(string path, bool showRaw, CliContext context)
    {
        FileStream stream;
        try
        {
            if (Directory.Exists(path))
            {
                context.Error.WriteLine($"qkd wire decode: '{path}' is a directory, not a capture file.");
                return QkdCli.ExitBadInput;
            }
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            context.Error.WriteLine($"qkd wire decode: cannot read '{path}': {e.Message}");
            return QkdCli.ExitBadInput;
        }

        using (stream)
        {
            var printer = new FramePrinter(context.Out, showRaw);
            var reader = new FrameReader(WireConstants.MaxPayloadBytes);
            var chunk = new byte[1 << 16];
            try
            {
                int read;
                while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
                {
                    for (var i = 0; i < read; i++)
                    {
                        if (reader.Push(chunk[i]))
                        {
                            printer.Print(reader);
                        }
                    }
                }
            }
            catch (IOException e)
            {
                context.Error.WriteLine($"qkd wire decode: reading '{path}' failed after {reader.GoodFrames + reader.BadFrames} frames: {e.Message}");
                return QkdCli.ExitBadInput;
            }
            if (reader.EndOfStream())
            {
                printer.Print(reader);
            }
            context.Error.WriteLine($"{reader.GoodFrames} intact frames ({printer.UndecodableFrames} of them with unknown type or bad payload), " +
                                    $"{reader.BadFrames} damaged frames.");
        }
        return 0;
    }

    /// <summary>Turns the frame the reader just finished into one JSON line.</summary>
    private sealed class FramePrinter(TextWriter output, bool showRaw)
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(4096);

        public int UndecodableFrames { get; private set; }

        public void Print(FrameReader reader)
        {
            if (reader.LastError != FrameError.None)
            {
                WriteError(reader, ErrorName(reader.LastError));
                return;
            }
            IWireContract? message;
            try
            {
                message = WireSerializer.Deserialize(reader.Type, reader.Payload.AsMemory(0, reader.PayloadCount));
            }
            catch (WireFormatException)
            {
                UndecodableFrames++;
                WriteError(reader, "payload");
                return;
            }
            if (message is null)
            {
                UndecodableFrames++;
                WriteError(reader, "unknown-type");
                return;
            }
            try
            {
                WriteLine(json =>
                {
                    json.WriteNumber("offset", reader.FrameStartOffset);
                    json.WriteString("type", MessageType.Name(reader.Type));
                    json.WriteNumber("seq", reader.Sequence);
                    if (SeqMeaning(message) is { } meaning)
                    {
                        json.WriteString("seqMeaning", meaning);
                    }
                    json.WritePropertyName("fields");
                    WireJson.WriteFields(json, message, showRaw);
                });
            }
            catch (WireFormatException)
            {
                UndecodableFrames++;
                WriteError(reader, "payload"); // detection records that do not decode
            }
        }

        private void WriteError(FrameReader reader, string error)
        {
            var intact = reader.LastError is FrameError.None or FrameError.Version;
            WriteLine(json =>
            {
                json.WriteNumber("offset", reader.FrameStartOffset);
                json.WriteString("error", error);
                if (intact)
                {
                    // The CRC held, so these header bytes are what the sender wrote.
                    json.WriteNumber("typeCode", reader.Type);
                    json.WriteNumber("seq", reader.Sequence);
                }
            });
        }

        /// <summary>Builds the whole line first, so a failure halfway leaves no half-written line.</summary>
        private void WriteLine(Action<Utf8JsonWriter> body)
        {
            _buffer.ResetWrittenCount();
            using (var json = new Utf8JsonWriter(_buffer))
            {
                json.WriteStartObject();
                body(json);
                json.WriteEndObject();
            }
            output.WriteLine(Encoding.UTF8.GetString(_buffer.WrittenSpan));
        }

        /// <summary>
        /// The reliable link (Link/README.md) puts something other than a data sequence number in the
        /// header of its own frames; say what, so a capture can be read without the protocol notes.
        /// Data frames and Heartbeats print none: their seq is the plain sequence number.
        /// </summary>
        private static string? SeqMeaning(IWireContract message) => message switch
        {
            HelloContract => "epoch: the sender's first sequence number; its data starts at seq+1",
            AckContract => "sender's own send epoch (its Hello's seq), not a data sequence; fields.ackedSeq is the cumulative ack",
            NackContract => "sender's own send epoch (its Hello's seq), not a data sequence; fields.expectedSeq is the gap",
            CreditContract { Credits: 0 } => "probe (credits 0): asks the peer to answer with an Ack; seq is the sender's cumulative ack, not used",
            CreditContract => "cumulative ack the grant counts from: the peer may send up to seq+credits",
            _ => null,
        };

        private static string ErrorName(FrameError error) => error switch
        {
            FrameError.Cobs => "cobs",
            FrameError.Crc => "crc",
            FrameError.Truncated => "truncated",
            FrameError.UnknownType => "unknown-type",
            FrameError.Payload => "payload",
            FrameError.Version => "version",
            FrameError.Oversize => "oversize",
            _ => "unknown",
        };
    }
}
