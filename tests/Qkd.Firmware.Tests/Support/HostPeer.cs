using Qkd.Wire;
using Qkd.Wire.Link;

namespace Qkd.Firmware.Tests.Support;

/// <summary>The host's end of a board session in tests: the real ReliableLink and a record of what arrived.</summary>
internal sealed class HostPeer : ILinkListener
{
    public HostPeer(FrameChannel toBoard, LinkOptions options) => Link = new ReliableLink(toBoard, this, options);

    public ReliableLink Link { get; }
    public List<WireMessage> Messages { get; } = [];
    public int PeerRestarts { get; private set; }
    public int PeerLosses { get; private set; }

    public IEnumerable<T> Received<T>() where T : WireMessage => Messages.OfType<T>();

    public static HelloMessage Hello() => new() { ProtocolVersion = WireConstants.ProtocolVersion, FirmwareVersion = "test-host", BoardId = "host" };

    public void OnMessage(WireMessage message) => Messages.Add(message);
    public void OnRejected(byte type, ushort sequence, FrameError reason) { }
    public void OnUnacknowledged(WireMessage message) { }
    public void OnPeerLost(int unackedCount) => PeerLosses++;
    public void OnPeerRestarted(int unackedCount) => PeerRestarts++;
}
