using System.Text.Json;
using Qkd.Firmware.Drivers;

namespace Qkd.Agent.Boards;

/// <summary>Reads a board file's JSON field by field, collecting every problem with its JSON path.</summary>
internal static class BoardFileReader
{
    public const int MaxSpiClockHz = 30_000_000;

    /// <summary>Channel voltages may sit this far (a fraction of V_pi) from their nominal retardance: calibration room, not a swap.</summary>
    public const double NominalToleranceOfVpi = 0.1;

    private static readonly string[] OutputPins = ["dacSync", "dacSclk", "dacSdin", "dacLdac", "dacClr", "muxEn", "muxA0", "muxA1", "apdGateOut", "latchClear", "scopeSync"];
    private static readonly string[] InputPins = ["dacSdo", "triggerIn", "apd0Latch", "apd1Latch"];
    private static readonly string[] BobOnlyPins = ["apdGateOut", "apd0Latch", "apd1Latch", "latchClear"];
    private static readonly string[] OptionalPins = ["dacLdac", "dacClr"];

    private static readonly Dictionary<string, Ad5754OutputRange> Ranges = new()
    {
        ["unipolar5V"] = Ad5754OutputRange.Unipolar5V,
        ["unipolar10V"] = Ad5754OutputRange.Unipolar10V,
        ["unipolar10V8"] = Ad5754OutputRange.Unipolar10V8,
        ["bipolar5V"] = Ad5754OutputRange.Bipolar5V,
        ["bipolar10V"] = Ad5754OutputRange.Bipolar10V,
        ["bipolar10V8"] = Ad5754OutputRange.Bipolar10V8,
    };

    public static BoardFile? Read(JsonElement root, List<BoardFileError> errors)
    {
        var top = new Fields(root, "$", errors);
        if (!top.IsObject) return null;
        top.Allow("$schema");
        var name = top.String("name");
        var role = top.Choice("role", new Dictionary<string, BoardRole> { ["alice"] = BoardRole.Alice, ["bob"] = BoardRole.Bob });

        var mcu = top.Object("mcu");
        var target = mcu.String("target");
        McuPinRules? rules = null;
        if (target is not null && !McuPinRules.Known.TryGetValue(target, out rules))
            errors.Add(new(mcu.PathOf("target"), $"unknown MCU target '{target}' (known: {string.Join(", ", McuPinRules.Known.Keys)})"));
        mcu.RefuseUnknown();

        var pins = ReadPins(top.Object("pins"), role, rules, errors);
        var spi = ReadSpi(top.Object("spi"), rules, errors);
        var dac = ReadDac(top.Object("dac"), errors);

        var amplifier = top.Object("amplifier");
        var gain = amplifier.Number("gain", min: 0, minExclusive: true);
        var clamp = amplifier.Number("clampVolts", min: 0, minExclusive: true, optionalDefault: 200.0);
        amplifier.RefuseUnknown();

        var eom = top.Object("eom");
        var halfWave = eom.Number("halfWaveVolts", min: 0, minExclusive: true, max: 1000);
        eom.RefuseUnknown();

        if (role is null) top.Allow("channels");
        var channels = role is null ? null : ReadChannels(top.Object("channels"), role.Value, dac, gain, clamp, halfWave, errors);

        GateSettings? gate = null;
        if (role == BoardRole.Bob || top.Has("gate"))
        {
            var gateFields = top.Object("gate");
            var delay = gateFields.Integer("delayNs", min: 0);
            var width = gateFields.Integer("widthNs", min: 1, reason: "gate width must be > 0 ns");
            gateFields.RefuseUnknown();
            if (delay is not null && width is not null) gate = new GateSettings(delay.Value, width.Value);
        }

        var trigger = top.Object("trigger");
        var edge = trigger.Choice("edge", new Dictionary<string, TriggerEdge> { ["rising"] = TriggerEdge.Rising, ["falling"] = TriggerEdge.Falling });
        trigger.RefuseUnknown();
        var engine = top.Choice("pulseEngine", new Dictionary<string, PulseEngineKind> { ["managed"] = PulseEngineKind.Managed, ["hardwareTimed"] = PulseEngineKind.HardwareTimed });
        top.RefuseUnknown();

        if (errors.Count > 0) return null;
        return new BoardFile(name!, role!.Value, target!, pins!, spi!, dac!, channels!, gain!.Value, clamp!.Value, halfWave!.Value,
            gate, edge!.Value, engine!.Value);
    }

    private static BoardPins? ReadPins(Fields fields, BoardRole? role, McuPinRules? rules, List<BoardFileError> errors)
    {
        var values = new Dictionary<string, int?>();
        var usedBy = new Dictionary<int, string>();
        foreach (var pin in OutputPins.Concat(InputPins))
        {
            var optional = OptionalPins.Contains(pin) || (BobOnlyPins.Contains(pin) && role != BoardRole.Bob);
            if (optional && (!fields.Has(pin) || fields.IsNull(pin)))
            {
                fields.Allow(pin);
                values[pin] = null;
                continue;
            }
            var number = fields.Integer(pin);
            values[pin] = number;
            if (number is not int n) continue;
            var path = fields.PathOf(pin);
            if (rules is not null)
            {
                if (rules.WhyNotUsable(n) is { } why) errors.Add(new(path, $"pin {n}: {why}"));
                else if (OutputPins.Contains(pin) && rules.InputOnly(n))
                    errors.Add(new(path, $"{McuPinRules.PortPinName(rules.Target, n)} is input only and cannot drive {pin}"));
            }
            if (usedBy.TryGetValue(n, out var other)) errors.Add(new(path, $"pin {n} is already used by {fields.PathOf(other)}"));
            else usedBy[n] = pin;
        }
        fields.RefuseUnknown();
        if (!fields.IsObject) return null;
        int Get(string p) => values.TryGetValue(p, out var v) && v is int i ? i : -1;
        int? Opt(string p) => values.TryGetValue(p, out var v) ? v : null;
        return new BoardPins(Get("dacSync"), Get("dacSclk"), Get("dacSdin"), Get("dacSdo"), Opt("dacLdac"), Opt("dacClr"),
            Get("muxEn"), Get("muxA0"), Get("muxA1"), Get("triggerIn"), Get("scopeSync"),
            Opt("apdGateOut"), Opt("apd0Latch"), Opt("apd1Latch"), Opt("latchClear"));
    }

    private static SpiBusSettings? ReadSpi(Fields fields, McuPinRules? rules, List<BoardFileError> errors)
    {
        var bus = fields.Integer("bus", min: 1, max: rules?.MaxSpiBus ?? 8);
        var clock = fields.Integer("clockHz", min: 1, max: MaxSpiClockHz, reason: "the AD5754 takes SCLK up to 30 MHz");
        var mode = fields.Integer("mode", min: 2, max: 2, reason: "the AD5754 needs SPI mode 2 (CPOL=1, CPHA=0)", optionalDefault: 2);
        fields.RefuseUnknown();
        return bus is null || clock is null || mode is null ? null : new SpiBusSettings(bus.Value, clock.Value, mode.Value);
    }

    private static DacSettings? ReadDac(Fields fields, List<BoardFileError> errors)
    {
        var range = fields.Choice("range", Ranges);
        var coding = fields.Choice("coding", new Dictionary<string, Ad5754BipolarCoding>
        {
            ["twosComplement"] = Ad5754BipolarCoding.TwosComplement,
            ["offsetBinary"] = Ad5754BipolarCoding.OffsetBinary,
        });
        var reference = fields.Number("referenceVolts", min: 2.0, max: 3.0, optionalDefault: Ad5754Conversion.InternalReferenceVolts);
        fields.RefuseUnknown();
        return range is null || coding is null || reference is null ? null : new DacSettings(range.Value, coding.Value, reference.Value);
    }

    private static double[]? ReadChannels(Fields fields, BoardRole role, DacSettings? dac, double? gain, double? clamp, double? halfWave, List<BoardFileError> errors)
    {
        var names = BoardFile.ChannelNames(role);
        var volts = new double[names.Count];
        var complete = true;
        for (var i = 0; i < names.Count; i++)
        {
            var value = fields.Number(names[i]);
            if (value is not double v) { complete = false; continue; }
            volts[i] = v;
            var path = fields.PathOf(names[i]);
            if (clamp is double c && Math.Abs(v) > c) { errors.Add(new(path, $"{v} V is beyond the amplifier output +-{c} V")); continue; }
            if (dac is not null && gain is double g)
            {
                var min = Ad5754Conversion.MinVolts(dac.Range, dac.ReferenceVolts);
                var max = Ad5754Conversion.MaxVolts(dac.Range, dac.ReferenceVolts);
                var dacVolts = v / g;
                if (dacVolts < min || dacVolts > max)
                {
                    errors.Add(new(path, $"{v} V at the EOM needs {dacVolts:0.###} V from the DAC (gain {g}), outside its range {Ad5754Conversion.RangeName(dac.Range)}"));
                    continue;
                }
            }
            if (halfWave is double vPi)
            {
                var nominal = NominalRetardanceOverPi(role, i) * vPi;
                if (Math.Abs(v - nominal) > NominalToleranceOfVpi * vPi)
                    errors.Add(new(path, $"{v} V is far from the nominal {nominal} V for {names[i]} (V_pi = {vPi} V): channels swapped?"));
            }
        }
        fields.RefuseUnknown();
        return complete ? volts : null;
    }

    /// <summary>Alice: V = 0, H = pi, R = +pi/2, L = -pi/2. Bob: H/V basis 0, R/L basis pi/2 (hardware.md).</summary>
    private static double NominalRetardanceOverPi(BoardRole role, int channel) => role == BoardRole.Alice
        ? channel switch { 0 => 1.0, 1 => 0.0, 2 => 0.5, _ => -0.5 }
        : channel == 0 ? 0.0 : 0.5;

    /// <summary>One JSON object and its path; every read records its error and marks the field as known.</summary>
    private sealed class Fields
    {
        private readonly JsonElement _element;
        private readonly string _path;
        private readonly List<BoardFileError> _errors;
        private readonly HashSet<string> _known = [];

        public Fields(JsonElement element, string path, List<BoardFileError> errors, bool reportNonObject = true)
        {
            _element = element;
            _path = path;
            _errors = errors;
            IsObject = element.ValueKind == JsonValueKind.Object;
            if (!IsObject && reportNonObject) errors.Add(new(path, "must be a JSON object"));
        }

        public bool IsObject { get; }

        public string PathOf(string name) => _path + "." + name;

        public void Allow(string name) => _known.Add(name);

        public bool Has(string name) => IsObject && _element.TryGetProperty(name, out _);

        public bool IsNull(string name) => IsObject && _element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Null;

        public Fields Object(string name)
        {
            if (!Present(name, out var value)) return new Fields(default, PathOf(name), _errors, reportNonObject: false);
            return new Fields(value, PathOf(name), _errors);
        }

        public string? String(string name)
        {
            if (!Present(name, out var value)) return null;
            if (value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text) return text;
            return Fail<string>(name, "must be a non-empty string");
        }

        public T? Choice<T>(string name, IReadOnlyDictionary<string, T> choices) where T : struct
        {
            if (!Present(name, out var value)) return null;
            var text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            if (text is not null && choices.TryGetValue(text, out var choice)) return choice;
            _errors.Add(new(PathOf(name), $"unknown value {value.GetRawText()} (one of: {string.Join(", ", choices.Keys)})"));
            return null;
        }

        public int? Integer(string name, int min = int.MinValue, int max = int.MaxValue, string? reason = null, int? optionalDefault = null)
        {
            if (optionalDefault is not null && !Has(name)) { Allow(name); return optionalDefault; }
            if (!Present(name, out var value)) return null;
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
                return FailStruct<int>(name, "must be an integer");
            if (number < min || number > max)
                return FailStruct<int>(name, $"{number} is out of range {min}..{max}" + (reason is null ? "" : ": " + reason));
            return number;
        }

        public double? Number(string name, double min = double.MinValue, double max = double.MaxValue, bool minExclusive = false, double? optionalDefault = null)
        {
            if (optionalDefault is not null && !Has(name)) { Allow(name); return optionalDefault; }
            if (!Present(name, out var value)) return null;
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
                return FailStruct<double>(name, "must be a number");
            if (number < min || (minExclusive && number <= min) || number > max)
                return FailStruct<double>(name, minExclusive && max == double.MaxValue ? $"{number} must be > {min}" : $"{number} is out of range {min}..{max}");
            return number;
        }

        public void RefuseUnknown()
        {
            if (!IsObject) return;
            foreach (var property in _element.EnumerateObject())
                if (!_known.Contains(property.Name)) _errors.Add(new(PathOf(property.Name), "unknown field (a typo?)"));
        }

        private bool Present(string name, out JsonElement value)
        {
            _known.Add(name);
            value = default;
            if (!IsObject) return false;
            if (_element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null) return true;
            _errors.Add(new(PathOf(name), "missing"));
            return false;
        }

        private T? Fail<T>(string name, string reason) where T : class
        {
            _errors.Add(new(PathOf(name), reason));
            return null;
        }

        private T? FailStruct<T>(string name, string reason) where T : struct
        {
            _errors.Add(new(PathOf(name), reason));
            return null;
        }
    }
}
