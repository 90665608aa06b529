#nullable disable
using Qkd.Firmware.Engine;
using Qkd.Wire;

namespace Qkd.Firmware.Roles
{
    /// <summary>
    /// Bob: two DAC channels (H/V basis, R/L basis), 1-bit MUX codes per pulse (A1 tied low), and the
    /// gated APD capture: every gated click is a record (pulse index, detector code), double clicks
    /// kept as code 3.
    /// </summary>
    public sealed class BobRole : PulseRole
    {
        public BobRole(IBoardHardware hardware, BoardIdentity identity)
            : base(hardware, identity, PulseCodes.BobBitsPerPulse)
        {
        }

        public override byte Role
        {
            get { return BoardRole.Bob; }
        }

        public override int DacChannels
        {
            get { return 2; }
        }

        public override bool CapturesDetections
        {
            get { return true; }
        }
    }
}
