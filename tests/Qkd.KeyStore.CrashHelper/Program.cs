using System.Globalization;
using Qkd.Agent.Keys;

// Modes (stdout lines are flushed at once, so the test sees each commit as it happens):
//   write DIR BLOCKBYTES      forever: add block i (pattern bytes), print "added i"; export 4099 bits,
//                             print "exported TOTAL". Killed by the test at a random moment.
//   export DIR BITS CALLS     CALLS exports of BITS bits; one line per range: "range SESSION BLOCK OFFSET LENGTH".
string mode = args.Length > 0 ? args[0] : "";
using var store = KeyStore.Open(args[1]);
Console.Out.Flush();
switch (mode)
{
    case "write":
    {
        int blockBytes = int.Parse(args[2], CultureInfo.InvariantCulture);
        long exported = 0;
        for (long block = 0; ; block++)
        {
            var key = new byte[blockBytes];
            for (int j = 0; j < key.Length; j++) key[j] = Pattern(block, j);
            store.AddBlock(new KeyBlockInfo("crash", block, 0.05, "hbn-2023", 1e-10), key, blockBytes * 8);
            Console.WriteLine($"added {block}");
            exported += store.Export(4099).BitLength;
            Console.WriteLine($"exported {exported}");
        }
    }
    case "export":
    {
        int bits = int.Parse(args[2], CultureInfo.InvariantCulture);
        int calls = int.Parse(args[3], CultureInfo.InvariantCulture);
        for (int i = 0; i < calls; i++)
        {
            foreach (var r in store.Export(bits).Ranges)
                Console.WriteLine($"range {r.Session} {r.Block} {r.BitOffset} {r.BitLength}");
        }
        return 0;
    }
    default:
        Console.Error.WriteLine("usage: write DIR BLOCKBYTES | export DIR BITS CALLS");
        return 2;
}

// The same formula is in tests/Qkd.Agent.Tests/KeyStoreCrashTests.cs, which checks stored bytes against it.
static byte Pattern(long block, int index) => (byte)(index * 131 + block * 17 + 1);
