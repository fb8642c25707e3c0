using Microsoft.AspNetCore.Http.HttpResults;
using OrderX.Users.Apis;
using OrderX.Users.Data;
using OrderX.Testing;

namespace OrderX.Users.Tests;

public sealed class UsersApiTests : IDisposable
{
    private readonly SqliteTestDatabase<UsersDbContext> _database = new(o => new UsersDbContext(o));

    private async Task<object> CreateAsync(string? email, string? name)
    {
        await using var db = _database.NewContext();
        return (await UsersApi.CreateUser(new CreateUserRequest(email, name), db, CancellationToken.None)).Result;
    }

    [Fact]
    public async Task A_user_is_created_and_can_be_read_back()
    {
        var created = Assert.IsType<Created<UserDto>>(await CreateAsync(" Ada@Example.com ", "Ada"));

        await using var db = _database.NewContext();
        var read = Assert.IsType<Ok<UserDto>>((await UsersApi.GetUser(created.Value!.Id, db, CancellationToken.None)).Result);
        Assert.Equal("Ada@Example.com", read.Value!.Email);
    }

    [Fact]
    public async Task An_e_mail_already_registered_in_another_case_is_a_conflict()
    {
        await CreateAsync("ada@example.com", "Ada");

        var second = Assert.IsType<ProblemHttpResult>(await CreateAsync("ADA@example.COM", "Other Ada"));

        Assert.Equal(409, second.StatusCode);
    }

    [Theory]
    [InlineData(null, "Ada")]
    [InlineData("not-an-address", "Ada")]
    [InlineData("ada@example.com", "")]
    [InlineData("ada@example.com", null)]
    [InlineData("ada@example.com", "bad\u0000name")]
    public async Task Invalid_input_is_a_validation_problem(string? email, string? name) =>
        Assert.IsType<ValidationProblem>(await CreateAsync(email, name));

    [Fact]
    public async Task An_unknown_user_is_not_found()
    {
        await using var db = _database.NewContext();
        var result = Assert.IsType<ProblemHttpResult>((await UsersApi.GetUser(Guid.NewGuid(), db, CancellationToken.None)).Result);
        Assert.Equal(404, result.StatusCode);
    }

    public void Dispose() => _database.Dispose();
}
