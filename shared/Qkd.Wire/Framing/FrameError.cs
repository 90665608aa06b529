namespace Qkd.Wire
{
    /// <summary>Why a frame was rejected. UnknownType and Payload are found by MessageCodec users.</summary>
    public enum FrameError
    {
        None = 0,
        Cobs = 1,
        Crc = 2,
        Truncated = 3,
        UnknownType = 4,
        Payload = 5,
        Version = 6,
        Oversize = 7,
    }
}
