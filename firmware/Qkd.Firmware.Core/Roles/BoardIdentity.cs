#nullable disable
namespace Qkd.Firmware.Roles
{
    /// <summary>
    /// What a board is and what it can hold, fixed when the firmware starts (Program.cs) and announced
    /// in Hello. The sizes fix every buffer the roles and the session allocate, once.
    /// </summary>
    public sealed class BoardIdentity
    {
        public string FirmwareVersion = "0.1.0";

        /// <summary>Board name as its board file gives it, e.g. "bob-esp32".</summary>
        public string BoardId = "";

        /// <summary>Qkd.Wire BoardRole: 1 Alice, 2 Bob.</summary>
        public byte Role;

        /// <summary>Largest block, in pulses, one table buffer holds (two buffers are allocated).</summary>
        public int MaxPulsesPerBlock = 100000;

        /// <summary>Detection records one block can hold on Bob (more are counted as overruns).</summary>
        public int DetectionCapacity = 4096;

        /// <summary>Missed pulse indices one block remembers (the count is always exact).</summary>
        public int MissedCapacity = 256;

        /// <summary>Highest trigger rate announced in Hello (measured on the bench for this board and engine).</summary>
        public uint MaxPulseRateHz = 20000;
    }
}
