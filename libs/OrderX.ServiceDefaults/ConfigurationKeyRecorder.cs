using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;

namespace OrderX.ServiceDefaults;

/// <summary>
/// Records every configuration key a service looks up. While one is active, OrderXBuilder adds it as the
/// highest-priority source: it is asked first for every key and answers nothing. The deployment tests use it to
/// prove that each variable a Dockerfile, compose file or manifest sets is one the service really reads.
/// </summary>
public sealed class ConfigurationKeyRecorder : IConfigurationSource
{
    private static ConfigurationKeyRecorder? _active;
    private readonly ConcurrentDictionary<string, byte> _keys = new(StringComparer.OrdinalIgnoreCase);

    public static ConfigurationKeyRecorder? Active => Volatile.Read(ref _active);

    public static ConfigurationKeyRecorder Start()
    {
        var recorder = new ConfigurationKeyRecorder();
        Volatile.Write(ref _active, recorder);
        return recorder;
    }

    public static void Stop() => Volatile.Write(ref _active, null);

    public bool WasRead(string key) => _keys.ContainsKey(key);

    public IReadOnlyCollection<string> Keys => [.. _keys.Keys];

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new RecordingProvider(this);

    private sealed class RecordingProvider(ConfigurationKeyRecorder recorder) : ConfigurationProvider
    {
        public override bool TryGet(string key, out string? value)
        {
            recorder._keys.TryAdd(key, 0);
            value = null;
            return false;
        }
    }
}
