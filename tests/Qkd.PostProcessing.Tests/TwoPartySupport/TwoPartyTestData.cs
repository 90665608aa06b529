using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Sifting;
using Qkd.PostProcessing.TwoParty;

namespace Qkd.PostProcessing.Tests.TwoPartySupport;

/// <summary>Synthetic blocks: Alice's and Bob's halves of BB84 with a given detection rate and QBER.</summary>
public static class TwoPartyTestData
{
    public static (AliceBlock Alice, BobBlock Bob) Block(long blockNumber, int pulses, double detection, double qber, int seed, double doubleClick = 0.002)
    {
        var rng = new Random(seed);
        var states = new byte[pulses];
        var bases = new BitVector(pulses);
        var indices = new List<long>();
        var codes = new List<byte>();
        for (int i = 0; i < pulses; i++)
        {
            states[i] = (byte)rng.Next(4);
            bases[i] = rng.Next(2) == 1;
            if (rng.NextDouble() >= detection) continue;
            indices.Add(i);
            if (rng.NextDouble() < doubleClick) { codes.Add(DetectorCode.Both); continue; }
            bool bit = (states[i] >> 1) == (bases[i] ? 1 : 0)
                ? ((states[i] & 1) != 0) ^ (rng.NextDouble() < qber)
                : rng.Next(2) == 1;
            codes.Add(bit ? DetectorCode.Apd1 : DetectorCode.Apd0);
        }
        return (new AliceBlock(blockNumber, states), new BobBlock(blockNumber, bases, indices.ToArray(), codes.ToArray()));
    }

    public static byte[] Secret(int bytes, int seed)
    {
        var secret = new byte[bytes];
        new Random(seed).NextBytes(secret);
        return secret;
    }
}
