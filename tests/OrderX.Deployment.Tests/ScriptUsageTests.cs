namespace OrderX.Deployment.Tests;

/// <summary>
/// Every script a newcomer runs explains itself and does nothing when asked for help, and refuses an option it does
/// not know instead of ignoring it (stop.sh --help used to stop everything, infra.sh --help to install packages).
/// </summary>
public sealed class ScriptUsageTests
{
    private static IEnumerable<string> ScriptNames() =>
        Directory.GetFiles(Repo.PathOf("scripts"), "*.sh").Select(path => Path.GetFileName(path)).Where(name => name != "lib.sh").Order();

    public static TheoryData<string> Scripts() => [.. ScriptNames()];

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Help_prints_the_usage_and_does_nothing_else(string script)
    {
        foreach (var option in new[] { "--help", "-h" })
        {
            var (exit, output) = Repo.Run("bash", $"scripts/{script} {option}", TimeSpan.FromSeconds(30));

            Assert.True(exit == 0, $"{script} {option} exited {exit}:\n{output}");
            Assert.StartsWith("# ", output);
            Assert.All(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.StartsWith("#", line));
        }
    }

    // test.sh's options are dotnet test's, which refuses what it does not know (see the last test).
    public static TheoryData<string> ScriptsWithOptionsOfTheirOwn() => [.. ScriptNames().Where(name => name != "test.sh")];

    [Theory]
    [MemberData(nameof(ScriptsWithOptionsOfTheirOwn))]
    public void An_unknown_option_is_refused_with_the_usage_before_anything_runs(string script)
    {
        var (exit, output) = Repo.Run("bash", $"scripts/{script} --no-such-option", TimeSpan.FromSeconds(30));

        Assert.Equal(2, exit);
        Assert.Contains("# ", output);
        Assert.DoesNotContain("building", output);
    }

    [Fact]
    public void The_test_script_says_that_its_options_go_to_dotnet_test()
    {
        var (_, output) = Repo.Run("bash", "scripts/test.sh --help", TimeSpan.FromSeconds(30));

        Assert.Contains("dotnet test options", output);
    }
}
