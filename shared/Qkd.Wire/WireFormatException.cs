using System;

namespace Qkd.Wire
{
    /// <summary>Bytes that do not form a valid payload or message. Never carries payload contents.</summary>
    public class WireFormatException : Exception
    {
        public WireFormatException()
        {
        }

        public WireFormatException(string message) : base(message)
        {
        }
    }
}
