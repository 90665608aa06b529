#nullable disable
using Qkd.Firmware.Tables;
using Qkd.Wire;

namespace Qkd.Firmware.Session
{
    /// <summary>Block results: Bob's detections into DetectionBatches, then BlockDone and the final BlockStatus.</summary>
    public sealed partial class BoardSession
    {
        private void CollectBlockResults(long nowMs)
        {
            _role.Poll();
            TableBuffer finishing = _role.Finishing;
            if (finishing != null)
            {
                if (_role.CapturesDetections)
                {
                    BatchDetections(finishing, nowMs);
                }
                FinishIfSent(finishing);
                _role.Poll(); // the next block may have ended meanwhile
            }
            TableBuffer running = _role.Running;
            if (running == null)
            {
                return;
            }
            if (_role.CapturesDetections && _role.Finishing == null)
            {
                BatchDetections(running, nowMs); // after the previous block's BlockDone, never interleaved with it
            }
            if (nowMs >= _nextProgressMs)
            {
                _nextProgressMs = nowMs + _options.ProgressMs;
                if (_outbox.FreeSlots > ReplyReserve)
                {
                    _outbox.QueueStatus(running.BlockId, BlockState.Running, (uint)_role.Engine.PulsesDone);
                }
            }
        }

        /// <summary>
        /// Moves captured records into batches: a full batch as soon as there are enough records, a
        /// partial one when the block ended or the oldest record waited BatchFlushMs. When the outbox
        /// is full the records simply stay in the block's buffer (nothing is dropped).
        /// </summary>
        private void BatchDetections(TableBuffer block, long nowMs)
        {
            int available = _role.AvailableDetections(block);
            if (block.BatchedRecords >= available)
            {
                _oldestUnbatchedMs = -1;
                return;
            }
            if (_oldestUnbatchedMs < 0)
            {
                _oldestUnbatchedMs = nowMs;
            }
            while (block.BatchedRecords < available && _outbox.FreeSlots > ReplyReserve)
            {
                bool full = available - block.BatchedRecords >= _recordsPerFullBatch;
                bool due = block.HasEnded || nowMs - _oldestUnbatchedMs >= _options.BatchFlushMs;
                if (!full && !due)
                {
                    return;
                }
                FillBatch(block, available);
                _oldestUnbatchedMs = nowMs;
            }
            if (block.BatchedRecords >= available)
            {
                _oldestUnbatchedMs = -1;
            }
        }

        private void FillBatch(TableBuffer block, int available)
        {
            OutgoingDetectionBatch batch = _outbox.NextBatch();
            int[] pulses = block.Block.DetectionPulses;
            byte[] codes = block.Block.DetectionCodes;
            int first = block.BatchedRecords;
            uint basePulse = (uint)pulses[first];
            _recordWriter.Reset(batch.RecordBuffer, 0, basePulse);
            int next = first;
            while (next < available && _recordWriter.HasRoom)
            {
                _recordWriter.Append((uint)pulses[next], codes[next]);
                if (codes[next] == DetectorCode.DoubleClick)
                {
                    block.DoubleClicks++;
                }
                next++;
            }
            batch.BlockId = block.BlockId;
            batch.BatchIndex = block.NextBatchIndex;
            batch.BasePulseIndex = basePulse;
            batch.RecordCount = (uint)(next - first);
            batch.RecordBytes = _recordWriter.Length;
            _outbox.Commit(SessionOutbox.KindBatch);
            block.NextBatchIndex++;
            block.BatchedRecords = next;
        }

        /// <summary>Once every record of an ended block is in a batch: BlockDone, the final state, and the buffer is free.</summary>
        private void FinishIfSent(TableBuffer block)
        {
            if (block.BatchedRecords < block.Detections || _outbox.FreeSlots < 2)
            {
                return;
            }
            BlockDoneMessage done = _outbox.NextBlockDone();
            done.BlockId = block.BlockId;
            done.Pulses = (uint)block.PulsesDone;
            done.MissedTriggers = (uint)block.MissedTriggers;
            done.Detections = (uint)block.Detections;
            done.DoubleClicks = (uint)block.DoubleClicks;
            done.Overruns = (uint)block.DetectionsDropped;
            _outbox.Commit(SessionOutbox.KindBlockDone);
            _outbox.QueueStatus(block.BlockId, block.State, (uint)block.PulsesDone);
            _role.ReleaseEnded();
        }
    }
}
