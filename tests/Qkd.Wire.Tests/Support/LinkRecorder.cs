using Qkd.Wire.Link;

namespace Qkd.Wire.Tests.Support;

/// <summary>Listener that records everything a link reports, for assertions.</summary>
internal sealed class LinkRecorder : ILinkListener
{
    public List<WireMessage> Messages { get; } = [];
    public List<WireMessage> Unacknowledged { get; } = [];
    public List<(byte Type, ushort Sequence, FrameError Reason)> Rejected { get; } = [];
    public List<int> PeerLost { get; } = [];
    public List<int> PeerRestarted { get; } = [];

    /// <summary>Runs inside OnMessage (e.g. to release or to send back); null for none.</summary>
    public Action<WireMessage>? OnMessageHook { get; set; }

    public IEnumerable<WireMessage> DataMessages =>
        Messages.Where(m => m.Type != MessageType.Hello && m.Type != MessageType.Heartbeat);

    /// <summary>BlockId of every delivered BasisChunk, in delivery order.</summary>
    public List<uint> ChunkIds { get; } = [];

    public List<uint> UnacknowledgedChunkIds => Unacknowledged.OfType<BasisChunkMessage>().Select(m => m.BlockId).ToList();

    public void OnMessage(WireMessage message)
    {
        Messages.Add(message);
        if (message is BasisChunkMessage chunk)
        {
            ChunkIds.Add(chunk.BlockId);
        }
        OnMessageHook?.Invoke(message);
    }

    public void OnRejected(byte type, ushort sequence, FrameError reason) => Rejected.Add((type, sequence, reason));

    public void OnUnacknowledged(WireMessage message) => Unacknowledged.Add(message);

    public void OnPeerLost(int unackedCount) => PeerLost.Add(unackedCount);

    public void OnPeerRestarted(int unackedCount) => PeerRestarted.Add(unackedCount);
}
