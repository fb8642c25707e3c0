using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace OrderX.ServiceData;

public static class UtcDateTimeConvention
{
    /// <summary>
    /// Every DateTime OrderX stores is UTC. SQLite forgets the kind, so values come back marked UTC explicitly:
    /// both run modes then serialize times the same way (ISO 8601 with <c>Z</c>).
    /// </summary>
    public static ModelConfigurationBuilder StoreDateTimesAsUtc(this ModelConfigurationBuilder configuration)
    {
        configuration.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configuration.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
        return configuration;
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        value => value.Kind == DateTimeKind.Utc ? value : value.ToUniversalTime(),
        value => DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
