#nullable disable
using Qkd.Firmware.Engine;
using Qkd.Wire;

namespace Qkd.Firmware.Roles
{
    /// <summary>Alice: four DAC channels (H, V, R, L), 2-bit MUX codes per pulse, no detectors.</summary>
    public sealed class AliceRole : PulseRole
    {
        public AliceRole(IBoardHardware hardware, BoardIdentity identity)
            : base(hardware, identity, PulseCodes.AliceBitsPerPulse)
        {
        }

        public override byte Role
        {
            get { return BoardRole.Alice; }
        }

        public override int DacChannels
        {
            get { return 4; }
        }

        public override bool CapturesDetections
        {
            get { return false; }
        }
    }
}
