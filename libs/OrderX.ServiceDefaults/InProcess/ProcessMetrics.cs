using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace OrderX.ServiceDefaults.InProcess;

/// <summary>
/// The all-in-one's one metrics pipeline. A meter provider listens to every meter of the names it is given in the
/// whole process, whichever app created it, so one provider per part recorded every measurement once per part (seven
/// times for each request and message) and showed every part the whole process's figures anyway. The parts share
/// this one; it is built when the first part asks for it and disposed (its exporters flushed) when the last one stops.
/// </summary>
public static class ProcessMetrics
{
    private static readonly Lock Gate = new();
    private static MeterProvider? _provider;
    private static int _users;

    /// <summary>The process's provider, built with <paramref name="configure"/> if no part holds it yet.</summary>
    public static Lease Acquire(Action<MeterProviderBuilder> configure)
    {
        lock (Gate)
        {
            if (_provider is null)
            {
                var builder = Sdk.CreateMeterProviderBuilder();
                configure(builder);
                _provider = builder.Build();
            }
            _users++;
            return new Lease(_provider);
        }
    }

    private static void Release(MeterProvider provider)
    {
        lock (Gate)
        {
            if (!ReferenceEquals(provider, _provider) || --_users > 0)
                return;
            _provider = null;
        }
        provider.Dispose();
    }

    /// <summary>A part's hold on the process's provider, given back when the part's services are disposed.</summary>
    public sealed class Lease(MeterProvider provider) : IDisposable
    {
        private int _released;

        public MeterProvider Provider => provider;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                Release(provider);
        }
    }
}
