using Qkd.Firmware.Roles;
using Qkd.Firmware.Tests.Support;
using Qkd.Wire;

namespace Qkd.Firmware.Tests.Roles;

/// <summary>A configured Alice or Bob role on model hardware, with helpers to stream a table in chunks.</summary>
internal sealed class RoleRig : IDisposable
{
    public RoleRig(byte role, int maxPulses = 100_000, bool managedEngine = false, Qkd.Firmware.Engine.ITriggerCounter? counter = null, int detectionCapacity = 8192)
    {
        Hardware = new TestBoardHardware(Boards.LdacPin, Boards.ClrPin, managedEngine: managedEngine, counter: counter);
        Identity = Boards.Identity(role, maxPulses, detectionCapacity);
        Role = role == BoardRole.Alice ? new AliceRole(Hardware, Identity) : new BobRole(Hardware, Identity);
        BitsPerPulse = role == BoardRole.Alice ? 2 : 1;
    }

    public TestBoardHardware Hardware { get; }
    public BoardIdentity Identity { get; }
    public PulseRole Role { get; }
    public int BitsPerPulse { get; }
    public ModelPulseEngine Engine => Hardware.ModelEngine;

    public RoleRig Configured()
    {
        Role.Configure(Boards.Configure(Role.Role));
        return this;
    }

    /// <summary>Streams <paramref name="table"/> as chunks of <paramref name="chunkBytes"/>, in the given order of chunk numbers (default in order).</summary>
    public void Load(uint blockId, byte[] table, int chunkBytes = 900, IEnumerable<int>? order = null)
    {
        var chunks = (table.Length + chunkBytes - 1) / chunkBytes;
        foreach (var c in order ?? Enumerable.Range(0, chunks))
        {
            var offset = c * chunkBytes;
            var piece = table.AsSpan(offset, Math.Min(chunkBytes, table.Length - offset)).ToArray();
            Assert.True(Role.StoreChunk(new BasisChunkMessage(blockId, (uint)offset, piece)), $"chunk {c} of block {blockId} found no buffer");
        }
    }

    public static int Code(byte[] table, int pulse, int bitsPerPulse) => Qkd.Firmware.Engine.PulseCodes.Get(table, pulse, bitsPerPulse);

    public void Dispose()
    {
        Role.Dispose();
        Hardware.Dispose();
    }
}
