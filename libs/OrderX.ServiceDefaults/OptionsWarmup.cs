using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace OrderX.ServiceDefaults;

/// <summary>
/// Binds every OrderX options type when the service starts, not when a message first needs it: a setting that
/// cannot be bound stops the start-up with a clear error instead of failing the first payment an hour later.
/// </summary>
public sealed class OptionsWarmup(IServiceCollection registrations, IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        BindAll();
        return Task.CompletedTask;
    }

    public void BindAll()
    {
        var optionTypes = registrations
            .Where(d => d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(IConfigureOptions<>))
            .Select(d => d.ServiceType.GetGenericArguments()[0])
            .Where(t => t.Namespace?.StartsWith("OrderX", StringComparison.Ordinal) == true)
            .Distinct();
        foreach (var type in optionTypes)
        {
            var options = services.GetRequiredService(typeof(IOptions<>).MakeGenericType(type));
            _ = options.GetType().GetProperty(nameof(IOptions<object>.Value))!.GetValue(options);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
