#nullable disable
using System;
using Qkd.Firmware.Roles;
using Qkd.Wire;

namespace Qkd.Firmware.Session
{
    /// <summary>Host requests: one handler per message type, each answered by a reply or an Error.</summary>
    public sealed partial class BoardSession
    {
        /// <summary>
        /// Carries out delivered host messages in order. A BasisChunk that finds both table buffers
        /// busy waits at the head, keeping its receive slot (so the link grants the host fewer credits)
        /// until the running block's buffer frees; only Stop may pass it, or nothing could free one.
        /// </summary>
        private void ProcessInbound(long nowMs)
        {
            while (_inbound.Count > 0 && _outbox.FreeSlots >= ReplyReserve)
            {
                WireMessage message = (WireMessage)_inbound[0];
                if (!Handle(message))
                {
                    HandleStopsBehindWaitingChunk(nowMs);
                    return;
                }
                _inbound.RemoveAt(0);
                _link.Release(1, nowMs);
            }
        }

        private void HandleStopsBehindWaitingChunk(long nowMs)
        {
            for (int i = 1; i < _inbound.Count && _outbox.FreeSlots >= ReplyReserve; i++)
            {
                WireMessage message = (WireMessage)_inbound[i];
                if (message.Type == MessageType.Stop)
                {
                    Handle(message);
                    _inbound.RemoveAt(i);
                    _link.Release(1, nowMs);
                    i--;
                }
            }
        }

        /// <summary>Handles one message; false only for a chunk that must wait for a free table buffer.</summary>
        private bool Handle(WireMessage message)
        {
            try
            {
                switch (message.Type)
                {
                    case MessageType.Configure:
                        OnConfigure((ConfigureMessage)message);
                        return true;
                    case MessageType.BasisChunk:
                        return _role.StoreChunk((BasisChunkMessage)message);
                    case MessageType.ArmBlock:
                        OnArmBlock((ArmBlockMessage)message);
                        return true;
                    case MessageType.Start:
                        OnStart((StartMessage)message);
                        return true;
                    case MessageType.Stop:
                        OnStop((StopMessage)message);
                        return true;
                    case MessageType.BlockStatus:
                        OnStatusRequest((BlockStatusMessage)message);
                        return true;
                    case MessageType.DacWrite:
                        OnDacWrite((DacWriteMessage)message);
                        return true;
                    case MessageType.BenchRun:
                        OnBenchRun((BenchRunMessage)message);
                        return true;
                    default:
                        _outbox.QueueError(ErrorCode.UnsupportedMessage, "a board does not take " + MessageType.Name(message.Type) + " from the host");
                        return true;
                }
            }
            catch (RoleException refused)
            {
                _outbox.QueueError(refused.Code, refused.Message);
                return true;
            }
            catch (Exception failure)
            {
                // Never let a request take the board down: report it and go on.
                _outbox.QueueError(ErrorCode.Unspecified, MessageType.Name(message.Type) + " failed: " + failure.Message);
                return true;
            }
        }

        /// <summary>Configure succeeded when a DacReadback per channel follows (the codes the DAC holds); else an Error.</summary>
        private void OnConfigure(ConfigureMessage configure)
        {
            _role.Configure(configure);
            _hello.PulseEngine = configure.PulseEngine;
            for (int channel = 0; channel < _role.DacChannels; channel++)
            {
                _outbox.QueueReadback((byte)channel, 0, (ushort)_role.Dac.ReadBackCode(channel));
            }
        }

        private void OnArmBlock(ArmBlockMessage arm)
        {
            _role.Arm(arm.BlockId, arm.PulseCount);
            _outbox.QueueStatus(arm.BlockId, BlockState.Armed, 0);
        }

        private void OnStart(StartMessage start)
        {
            _role.Start(start.BlockId);
            _outbox.QueueStatus(start.BlockId, BlockState.Running, 0);
        }

        /// <summary>A running block's results (batches, BlockDone) follow; a pending one is dropped and reported Aborted.</summary>
        private void OnStop(StopMessage stop)
        {
            if (!_role.Stop(stop.BlockId))
            {
                _outbox.QueueStatus(stop.BlockId, BlockState.Aborted, 0);
            }
        }

        /// <summary>A BlockStatus from the host asks for the block's status.</summary>
        private void OnStatusRequest(BlockStatusMessage request)
        {
            Tables.TableBuffer buffer = _role.Tables.Find(request.BlockId);
            if (buffer == null)
            {
                _outbox.QueueStatus(request.BlockId, BlockState.Empty, 0);
                return;
            }
            _outbox.QueueStatus(request.BlockId, buffer.State, (uint)PulsesDone(buffer));
        }

        private void OnDacWrite(DacWriteMessage write)
        {
            int readBack = _role.WriteDac(write.Channel, write.Code);
            _outbox.QueueReadback(write.Channel, 0, (ushort)readBack);
        }

        private void OnBenchRun(BenchRunMessage run)
        {
            if (_benchRunner == null)
            {
                _outbox.QueueError(ErrorCode.UnsupportedMessage, "bench not available");
                return;
            }
            _outbox.QueueOther(_benchRunner.Run(run));
        }

        private int PulsesDone(Tables.TableBuffer buffer)
        {
            if (buffer == _role.Running)
            {
                return _role.Engine.PulsesDone;
            }
            return buffer.PulsesDone;
        }
    }
}
