using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OrderX.ServiceDefaults.Auth;
using OrderX.Testing;
using OrderX.Users.Apis;
using OrderX.Users.Data;
using OrderX.Users.Identity;

namespace OrderX.Users.Tests;

public sealed class UsersApiTests : IDisposable
{
    private const string GoodPassword = "correct horse battery";
    private readonly SqliteTestDatabase<UsersDbContext> _database = new(o => new UsersDbContext(o));
    private readonly string _dataPath = Directory.CreateTempSubdirectory("orderx-users-").FullName;
    private readonly IPasswordHasher<UserAccount> _hasher = new PasswordHasher<UserAccount>();
    private readonly IOptions<AuthOptions> _auth = Options.Create(new AuthOptions());
    private readonly SigningKeys _keys;

    public UsersApiTests()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Data:Path"] = _dataPath }).Build();
        _keys = new SigningKeys(_auth, configuration, NullLogger<SigningKeys>.Instance);
    }

    private async Task<IResult> RegisterAsync(string? email, string? name = "Ada", string? password = GoodPassword)
    {
        await using var db = _database.NewContext();
        return (await AccountsApi.Register(new RegisterRequest(email, name, password), db, _hasher, TimeProvider.System, CancellationToken.None)).Result;
    }

    private async Task<(IResult Result, HttpContext Context)> LoginAsync(string email, string password, string address = "10.0.0.1")
    {
        await using var db = _database.NewContext();
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        var result = await AccountsApi.Login(new LoginRequest(email, password), db, _hasher, Issuer(db), Throttling(db), context,
            NullLoggerFactory.Instance, CancellationToken.None);
        return (result.Result, context);
    }

    private async Task<IResult> RefreshAsync(string refreshToken)
    {
        await using var db = _database.NewContext();
        return (await AccountsApi.Refresh(new RefreshRequest(refreshToken), db, Issuer(db), new DefaultHttpContext(), NullLoggerFactory.Instance, CancellationToken.None)).Result;
    }

    private TokenIssuer Issuer(UsersDbContext db) => new(db, _keys, _auth, TimeProvider.System);

    private static LoginThrottling Throttling(UsersDbContext db) => new(db, Options.Create(new LoginThrottleOptions()), TimeProvider.System);

    private static int StatusOf(IResult result) => ((IStatusCodeHttpResult)result).StatusCode!.Value;

    [Fact]
    public async Task A_registered_customer_signs_in_and_gets_a_token_the_services_accept()
    {
        var created = Assert.IsType<Created<UserDto>>(await RegisterAsync(" Ada@Example.com "));
        Assert.Equal(OrderXRoles.Customer, created.Value!.Role);

        var pair = Assert.IsType<Ok<TokenPair>>((await LoginAsync("ADA@example.com", GoodPassword)).Result).Value!;

        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(pair.AccessToken, new TokenValidationParameters
        {
            ValidIssuer = "orderx", ValidAudience = "orderx-api", IssuerSigningKey = RsaKeys.FromPem(_keys.Key.Rsa.ExportSubjectPublicKeyInfoPem()),
        });
        Assert.True(validation.IsValid, validation.Exception?.Message);
        Assert.Equal(created.Value.Id.ToString(), validation.Claims[OrderXClaims.Subject]);
        Assert.Equal("customer", validation.Claims[OrderXClaims.Role]);
        Assert.Equal(900, pair.ExpiresIn);
    }

    [Fact]
    public async Task The_password_is_stored_only_as_a_salted_slow_hash()
    {
        await RegisterAsync("ada@example.com");
        await RegisterAsync("bob@example.com", "Bob");

        await using var db = _database.NewContext();
        var hashes = db.Users.Select(u => u.PasswordHash!).ToList();
        Assert.All(hashes, h => Assert.DoesNotContain(GoodPassword, h));
        Assert.NotEqual(hashes[0], hashes[1]);
        Assert.All(hashes, h => Assert.Equal(0x01, Convert.FromBase64String(h)[0])); // ASP.NET Core Identity v3: PBKDF2 with salt
    }

    [Fact]
    public async Task An_e_mail_already_registered_in_another_case_is_a_conflict()
    {
        await RegisterAsync("ada@example.com");

        Assert.Equal(409, StatusOf(await RegisterAsync("ADA@example.COM", "Other Ada")));
    }

    [Theory]
    [InlineData(null, "Ada", GoodPassword)]
    [InlineData("not-an-address", "Ada", GoodPassword)]
    [InlineData("ada@example.com", "", GoodPassword)]
    [InlineData("ada@example.com", "bad\u0000name", GoodPassword)]
    [InlineData("ada@example.com", "<script>alert(1)</script>", GoodPassword)]
    [InlineData("ada@example.com", "Robert'); DROP TABLE users;--", GoodPassword)]
    [InlineData("ada@example.com", "Ada\u202Eevil", GoodPassword)]
    [InlineData("ada@example.com", "Ada", "short")]
    [InlineData("ada@example.com", "Ada", "password123")]
    [InlineData("ada@example.com", "Ada", "aaaaaaaaaaaaaaa")]
    [InlineData("ada@example.com", "Ada", "ada@example.com")]
    [InlineData("ada@example.com", "Ada", null)]
    public async Task Invalid_registrations_are_validation_problems_and_store_nothing(string? email, string? name, string? password)
    {
        Assert.IsType<ValidationProblem>(await RegisterAsync(email, name, password));

        await using var db = _database.NewContext();
        Assert.Empty(db.Users);
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_e_mail_get_the_same_answer()
    {
        await RegisterAsync("ada@example.com");

        var wrong = (await LoginAsync("ada@example.com", "not the password")).Result;
        var unknown = (await LoginAsync("nobody@example.com", "not the password")).Result;

        var (a, b) = (Assert.IsType<ProblemHttpResult>(wrong).ProblemDetails, Assert.IsType<ProblemHttpResult>(unknown).ProblemDetails);
        Assert.Equal((401, a.Title, a.Detail), (b.Status!.Value, b.Title, b.Detail));
    }

    [Fact]
    public async Task Repeated_failed_sign_ins_block_the_account_even_for_the_right_password_with_retry_after()
    {
        await RegisterAsync("ada@example.com");
        for (var i = 0; i < 5; i++)
            Assert.Equal(401, StatusOf((await LoginAsync("ada@example.com", $"guess number {i}", $"10.0.0.{i + 2}")).Result));

        var (blocked, context) = await LoginAsync("ada@example.com", GoodPassword, "10.0.0.99");

        Assert.Equal(429, StatusOf(blocked));
        Assert.True(int.Parse(context.Response.Headers.RetryAfter!) > 0);
    }

    [Fact]
    public async Task Failures_from_one_address_block_that_address_across_accounts()
    {
        await RegisterAsync("ada@example.com");
        for (var i = 0; i < 20; i++)
            await LoginAsync($"someone{i}@example.com", "whatever it is", "10.9.9.9");

        Assert.Equal(429, StatusOf((await LoginAsync("ada@example.com", GoodPassword, "10.9.9.9")).Result));
        Assert.IsType<Ok<TokenPair>>((await LoginAsync("ada@example.com", GoodPassword, "10.1.1.1")).Result);
    }

    [Fact]
    public async Task A_refresh_token_rotates_and_a_spent_one_presented_again_revokes_the_whole_family()
    {
        await RegisterAsync("ada@example.com");
        var first = Assert.IsType<Ok<TokenPair>>((await LoginAsync("ada@example.com", GoodPassword)).Result).Value!;

        var second = Assert.IsType<Ok<TokenPair>>(await RefreshAsync(first.RefreshToken)).Value!;
        Assert.NotEqual(first.RefreshToken, second.RefreshToken);

        Assert.Equal(401, StatusOf(await RefreshAsync(first.RefreshToken)));   // stolen and replayed
        Assert.Equal(401, StatusOf(await RefreshAsync(second.RefreshToken)));  // the thief's chain and the owner's are gone
    }

    [Fact]
    public async Task After_logout_the_refresh_token_no_longer_works()
    {
        await RegisterAsync("ada@example.com");
        var pair = Assert.IsType<Ok<TokenPair>>((await LoginAsync("ada@example.com", GoodPassword)).Result).Value!;
        await using (var db = _database.NewContext())
            Assert.IsType<NoContent>((await AccountsApi.Logout(new RefreshRequest(pair.RefreshToken), Issuer(db), CancellationToken.None)).Result);

        Assert.Equal(401, StatusOf(await RefreshAsync(pair.RefreshToken)));
    }

    [Fact]
    public async Task Someone_elses_account_is_not_found_and_an_admin_sees_it()
    {
        var created = Assert.IsType<Created<UserDto>>(await RegisterAsync("ada@example.com")).Value!;
        await using var db = _database.NewContext();

        var stranger = await UsersApi.GetUser(created.Id, TestCallers.Customer(Guid.NewGuid()), db, CancellationToken.None);
        var self = await UsersApi.Me(TestCallers.Customer(created.Id), db, CancellationToken.None);
        var admin = await UsersApi.GetUser(created.Id, TestCallers.Admin(), db, CancellationToken.None);

        Assert.Equal(404, StatusOf(stranger.Result));
        Assert.Equal("ada@example.com", Assert.IsType<Ok<UserDto>>(self.Result).Value!.Email);
        Assert.IsType<Ok<UserDto>>(admin.Result);
    }

    [Fact]
    public async Task The_admin_comes_from_configuration_only_and_a_weak_password_is_refused()
    {
        await using (var db = _database.NewContext())
        {
            await AdminAccount.SeedAsync(db, null, null, false, TimeProvider.System, CancellationToken.None);
            await db.SaveChangesAsync();
            Assert.Empty(db.Users);
            await AdminAccount.SeedAsync(db, "root@example.com", "a long admin passphrase", false, TimeProvider.System, CancellationToken.None);
            await db.SaveChangesAsync();
        }

        var pair = Assert.IsType<Ok<TokenPair>>((await LoginAsync("root@example.com", "a long admin passphrase")).Result).Value!;
        Assert.Contains("\"role\":\"admin\"", System.Text.Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(pair.AccessToken.Split('.')[1])));
        await using var again = _database.NewContext();
        await Assert.ThrowsAsync<InvalidOperationException>(() => AdminAccount.SeedAsync(again, "root2@example.com", "admin", false, TimeProvider.System, CancellationToken.None));
    }

    [Fact]
    public async Task An_existing_admin_keeps_its_password_unless_the_configured_one_is_enforced()
    {
        await using (var db = _database.NewContext())
        {
            await AdminAccount.SeedAsync(db, "root@example.com", "the first admin passphrase", false, TimeProvider.System, CancellationToken.None);
            await db.SaveChangesAsync();
        }
        await using (var db = _database.NewContext())
        {
            // An operator's new ORDERX_ADMIN_PASSWORD never silently replaces the account's.
            await AdminAccount.SeedAsync(db, "root@example.com", "a second admin passphrase", false, TimeProvider.System, CancellationToken.None);
            await db.SaveChangesAsync();
        }
        Assert.IsType<Ok<TokenPair>>((await LoginAsync("root@example.com", "the first admin passphrase")).Result);
        Assert.IsNotType<Ok<TokenPair>>((await LoginAsync("root@example.com", "a second admin passphrase")).Result);

        await using (var db = _database.NewContext())
        {
            // A local run's generated password (start.sh) is the admin's by definition.
            await AdminAccount.SeedAsync(db, "root@example.com", "a third generated passphrase", true, TimeProvider.System, CancellationToken.None);
            await db.SaveChangesAsync();
        }
        Assert.IsType<Ok<TokenPair>>((await LoginAsync("root@example.com", "a third generated passphrase")).Result);
        Assert.IsNotType<Ok<TokenPair>>((await LoginAsync("root@example.com", "the first admin passphrase")).Result);
    }

    [Fact]
    public void The_generated_signing_key_is_kept_and_readable_only_by_its_owner()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Data:Path"] = _dataPath }).Build();
        var again = new SigningKeys(_auth, configuration, NullLogger<SigningKeys>.Instance);

        Assert.Equal(_keys.Key.KeyId, again.Key.KeyId);
        var file = Path.Combine(_dataPath, "keys", "token-signing-key.pem");
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }

    public void Dispose()
    {
        _database.Dispose();
        Directory.Delete(_dataPath, recursive: true);
    }
}
