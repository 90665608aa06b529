using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Qkd.Simulation.Emulation;

/// <summary>
/// A pseudo-terminal pair (Linux, glibc openpty): the emulated board reads and writes the master side,
/// the agent opens the slave's device path as a serial port (System.IO.Ports), so the serial code path
/// is exercised without hardware. <see cref="TryOpen"/> returns null where openpty is unavailable.
/// </summary>
public sealed class PseudoTerminal : IDisposable
{
    private readonly SafeFileHandle _slave;

    private PseudoTerminal(SafeFileHandle master, SafeFileHandle slave, string slavePath)
    {
        _slave = slave; // kept open so the pair survives until the agent opens the path
        SlavePath = slavePath;
        Master = new FileStream(master, FileAccess.ReadWrite, 1, isAsync: false);
    }

    /// <summary>The board's end.</summary>
    public Stream Master { get; }

    /// <summary>Device path for System.IO.Ports.SerialPort (e.g. /dev/pts/5).</summary>
    public string SlavePath { get; }

    public static PseudoTerminal? TryOpen()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            if (OpenPty(out var master, out var slave, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero) != 0) return null;
            var name = PtsName(slave);
            if (name == IntPtr.Zero) return null;
            var path = Marshal.PtrToStringAnsi(name)!;
            return new PseudoTerminal(new SafeFileHandle(master, ownsHandle: true), new SafeFileHandle(slave, ownsHandle: true), path);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        Master.Dispose();
        _slave.Dispose();
    }

    [DllImport("libc", EntryPoint = "openpty")]
    private static extern int OpenPty(out IntPtr master, out IntPtr slave, IntPtr name, IntPtr termios, IntPtr winsize);

    [DllImport("libc", EntryPoint = "ttyname")]
    private static extern IntPtr PtsName(IntPtr fd);
}
