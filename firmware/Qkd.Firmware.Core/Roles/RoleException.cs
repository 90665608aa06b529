#nullable disable
using System;

namespace Qkd.Firmware.Roles
{
    /// <summary>A request a role refuses: carries the wire ErrorCode the session replies with.</summary>
    public class RoleException : Exception
    {
        public RoleException(ushort code, string message)
            : base(message)
        {
            Code = code;
        }

        /// <summary>A Qkd.Wire ErrorCode value.</summary>
        public ushort Code { get; private set; }
    }
}
