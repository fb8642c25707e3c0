using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrderX.Messaging.Outbox;

namespace OrderX.Messaging.Tests;

/// <summary>A service reduced to its messaging: a SQLite database of its own, and its relay and consumers running.</summary>
public sealed class TestServiceHost : IAsyncDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"orderx-host-{Guid.NewGuid():N}.db");
    private List<IHostedService> _hosted = [];

    public ServiceProvider Services { get; private set; } = null!;

    public static async Task<TestServiceHost> StartAsync(Action<IServiceCollection> configure)
    {
        var host = new TestServiceHost();
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Error));
        configure(services);
        services.AddDbContext<TestDbContext>((provider, o) =>
        {
            o.UseSqlite($"Data Source={host._file}");
            if (provider.GetService<OutboxCommitInterceptor>() is { } interceptor)
                o.AddInterceptors(interceptor);
        });
        host.Services = services.BuildServiceProvider();
        await using (var scope = host.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<TestDbContext>().Database.EnsureCreatedAsync();
        host._hosted = host.Services.GetServices<IHostedService>().ToList();
        foreach (var service in host._hosted)
            await service.StartAsync(default);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _hosted)
            await service.StopAsync(default);
        await Services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_file);
    }
}
