using Microsoft.EntityFrameworkCore;

namespace OrderX.ServiceData;

/// <summary>The base of every service's DbContext: conventions all OrderX databases share.</summary>
public abstract class ServiceDbContext(DbContextOptions options) : DbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.StoreDateTimesAsUtc();
}
