namespace Qkd.Simulation.Devices;

/// <summary>A device with analog outputs a downstream model can read at the current virtual time.</summary>
public interface IAnalogOutputs
{
    double OutputVolts(int channel);
}
