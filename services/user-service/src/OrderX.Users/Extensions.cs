using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using OrderX.ServiceDefaults;
using OrderX.ServiceDefaults.Auth;
using OrderX.Users.Data;
using OrderX.Users.Identity;
using OrderX.ServiceData;

namespace OrderX.Users;

public static class Extensions
{
    public static WebApplicationBuilder AddUserServices(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var (adminEmail, adminPassword) = (configuration[AdminAccount.EmailKey], configuration[AdminAccount.PasswordKey]);
        var adminPasswordEnforced = configuration.GetValue<bool>(AdminAccount.PasswordEnforcedKey);
        builder.AddServiceDatabase<UsersDbContext, SqliteUsersDbContext, PostgresUsersDbContext>(OrderXService.User,
            (db, clock, cancellationToken) => AdminAccount.SeedAsync(db, adminEmail, adminPassword, adminPasswordEnforced, clock, cancellationToken));
        builder.AddOrderXAuthentication(services => services.GetRequiredService<SigningKeys>().Key);
        builder.Services.AddSingleton<SigningKeys>();
        builder.Services.AddSingleton<IPasswordHasher<UserAccount>, PasswordHasher<UserAccount>>();
        builder.Services.AddScoped<TokenIssuer>();
        builder.Services.AddScoped<LoginThrottling>();
        builder.Services.Configure<LoginThrottleOptions>(configuration.GetSection(LoginThrottleOptions.Section));
        return builder;
    }
}
