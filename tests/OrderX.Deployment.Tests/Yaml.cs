using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace OrderX.Deployment.Tests;

/// <summary>YAML documents as plain dictionaries and lists, navigated with string paths.</summary>
public static class Yaml
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder().Build();

    public static List<Dictionary<object, object>> Documents(string text)
    {
        var parser = new YamlDotNet.Core.Parser(new StringReader(text));
        parser.Consume<YamlDotNet.Core.Events.StreamStart>();
        var documents = new List<Dictionary<object, object>>();
        while (parser.Accept<YamlDotNet.Core.Events.DocumentStart>(out _))
        {
            if (Deserializer.Deserialize<Dictionary<object, object>?>(parser) is { } document)
                documents.Add(document);
        }
        return documents;
    }

    /// <summary>Follows a path like "spec.template.spec"; null where any step is missing.</summary>
    public static object? At(this object? node, string path)
    {
        foreach (var step in path.Split('.'))
        {
            if (node is not Dictionary<object, object> map || !map.TryGetValue(step, out node))
                return null;
        }
        return node;
    }

    public static Dictionary<object, object> Map(this object? node, string path) =>
        node.At(path) as Dictionary<object, object> ?? throw new Xunit.Sdk.XunitException($"{path} is missing or not a map");

    public static List<object> List(this object? node, string path) =>
        node.At(path) as List<object> ?? [];

    public static string? Text(this object? node, string path) => node.At(path)?.ToString();
}
