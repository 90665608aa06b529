using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Qkd.Firmware.Tests.Portability;

/// <summary>The nanoFramework application project stays buildable by the nanoFramework tooling and out of `dotnet build`.</summary>
public partial class NanoProjectTests
{
    private const string NanoProjectTypeGuid = "11A8DD76-328B-46DF-9F39-F559912D0360";
    private static readonly string AppFolder = Path.Combine(RepoRoot.Path, "firmware", "Qkd.Firmware");

    [Fact]
    public void Solution_lists_the_nfproj_without_a_build_entry_so_dotnet_build_skips_it()
    {
        var sln = File.ReadAllText(Path.Combine(RepoRoot.Path, "QkdEmbedded.sln"));
        var project = ProjectLine().Match(sln);
        Assert.True(project.Success, "the .nfproj is not in QkdEmbedded.sln");
        Assert.Equal(NanoProjectTypeGuid, project.Groups["type"].Value, ignoreCase: true);
        var guid = project.Groups["guid"].Value;
        Assert.DoesNotContain($"{{{guid}}}.Debug|Any CPU.Build.0", sln, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain($"{{{guid}}}.Release|Any CPU.Build.0", sln, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Every_reference_hint_path_names_a_package_and_version_in_packages_config()
    {
        var packages = XDocument.Load(Path.Combine(AppFolder, "packages.config")).Root!.Elements("package")
            .ToDictionary(p => (string)p.Attribute("id")!, p => (string)p.Attribute("version")!);
        Assert.All(XDocument.Load(Path.Combine(AppFolder, "packages.config")).Root!.Elements("package"),
            p => Assert.Equal("netnano1.0", (string?)p.Attribute("targetFramework")));
        foreach (var id in new[] { "nanoFramework.CoreLibrary", "nanoFramework.System.Device.Gpio", "nanoFramework.System.Device.Spi", "nanoFramework.System.IO.Ports", "nanoFramework.Runtime.Events", "nanoFramework.System.Text", "nanoFramework.System.Collections" })
            Assert.True(packages.ContainsKey(id), $"packages.config lacks {id}");

        var project = XDocument.Load(Path.Combine(AppFolder, "Qkd.Firmware.nfproj"));
        XNamespace ns = "http://schemas.microsoft.com/developer/msbuild/2003";
        var hintPaths = project.Descendants(ns + "HintPath").Select(h => h.Value).ToList();
        Assert.NotEmpty(hintPaths);
        foreach (var hint in hintPaths)
        {
            var match = HintPackage().Match(hint);
            Assert.True(match.Success, $"HintPath {hint} is not ..\\..\\packages\\<id>.<version>\\lib\\...");
            var id = match.Groups["id"].Value;
            Assert.True(packages.TryGetValue(id, out var version), $"{hint} names {id}, missing from packages.config");
            Assert.Equal(version, match.Groups["version"].Value);
        }
        Assert.Equal("v1.0", project.Descendants(ns + "TargetFrameworkVersion").Single().Value);
        Assert.Contains(NanoProjectTypeGuid, project.Descendants(ns + "ProjectTypeGuids").Single().Value, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Every_compiled_file_of_the_nfproj_exists_and_each_board_target_has_its_board_file()
    {
        var project = XDocument.Load(Path.Combine(AppFolder, "Qkd.Firmware.nfproj"));
        XNamespace ns = "http://schemas.microsoft.com/developer/msbuild/2003";
        var compiled = project.Descendants(ns + "Compile").Select(c => (string)c.Attribute("Include")!).ToList();
        foreach (var file in compiled)
            Assert.True(File.Exists(Path.Combine(AppFolder, file.Replace('\\', Path.DirectorySeparatorChar))), $"{file} is missing");
        var boardGroups = project.Descendants(ns + "ItemGroup").Where(g => ((string?)g.Attribute("Condition"))?.Contains("BoardTarget") == true).ToList();
        Assert.Contains(boardGroups, g => g.Attribute("Condition")!.Value.Contains("ESP32_PSRAM_REV0"));
        Assert.Contains(boardGroups, g => g.Attribute("Condition")!.Value.Contains("ST_STM32F769I_DISCOVERY"));
        Assert.All(boardGroups, g => Assert.Single(g.Elements(ns + "Compile")));
    }

    [GeneratedRegex(@"Project\(""\{(?<type>[0-9A-F-]+)\}""\) = ""Qkd.Firmware"", ""[^""]+\.nfproj"", ""\{(?<guid>[0-9A-F-]+)\}""", RegexOptions.IgnoreCase)]
    private static partial Regex ProjectLine();

    [GeneratedRegex(@"^\.\.\\\.\.\\packages\\(?<id>[A-Za-z0-9.]+?)\.(?<version>\d+\.\d+\.\d+(?:-[A-Za-z0-9.]+)?)\\lib\\[^\\]+\.dll$")]
    private static partial Regex HintPackage();
}
