using Microsoft.AspNetCore.Builder;
using OrderX.ServiceDefaults;
using OrderX.Users.Data;

namespace OrderX.Users;

public static class Extensions
{
    public static WebApplicationBuilder AddUserServices(this WebApplicationBuilder builder) =>
        builder.AddServiceDatabase<UsersDbContext, SqliteUsersDbContext, PostgresUsersDbContext>(OrderXService.User, DemoUsers.SeedAsync);
}
