namespace OrderX.EndToEnd.Tests;

/// <summary>Finds the build output of the processes under test next to this test assembly's (artifacts/bin/&lt;project&gt;/&lt;config&gt;).</summary>
public static class RepoPaths
{
    private static readonly DirectoryInfo TestBin = new(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));

    public static string Configuration => TestBin.Name;

    public static string ArtifactsBin => TestBin.Parent!.Parent!.FullName;

    /// <summary>The repository's root (artifacts/bin/… is under it).</summary>
    public static string Root => Directory.GetParent(ArtifactsBin)!.Parent!.FullName;

    public static string Dll(string project)
    {
        var path = Path.Combine(ArtifactsBin, project, Configuration, project + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: build the solution first.", path);
    }
}
