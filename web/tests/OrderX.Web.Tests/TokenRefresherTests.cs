using System.Net;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using OrderX.Testing;
using OrderX.Web.Backend;

namespace OrderX.Web.Tests;

/// <summary>The session's token renewal, against a stand-in for the user service that counts its refreshes.</summary>
public sealed class TokenRefresherTests
{
    private readonly ManualClock _clock = new(DateTimeOffset.Parse("2026-12-02T10:00:00Z"));
    private readonly RefreshEndpoint _users = new();

    private TokenRefresher Refresher()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new AccountsClient(new HttpClient(_users) { BaseAddress = new Uri("http://user") }));
        services.AddSingleton<IAuthenticationService, NoAuthentication>();
        return new TokenRefresher(services.BuildServiceProvider().GetRequiredService<IServiceScopeFactory>(), _clock, NullLogger<TokenRefresher>.Instance);
    }

    private CookieValidatePrincipalContext Session(TimeSpan accessLeft)
    {
        var properties = SessionTokens.Properties(new TokenPair("access-1", "Bearer", (int)accessLeft.TotalSeconds, "refresh-1", 1209600), _clock.GetUtcNow());
        var http = new DefaultHttpContext { RequestServices = new ServiceCollection().AddSingleton<IAuthenticationService, NoAuthentication>().BuildServiceProvider() };
        var ticket = new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity("test")), properties, SessionTokens.Scheme);
        return new CookieValidatePrincipalContext(http, new AuthenticationScheme(SessionTokens.Scheme, null, typeof(CookieAuthenticationHandler)), new CookieAuthenticationOptions(), ticket);
    }

    [Fact]
    public async Task A_token_with_time_left_is_not_renewed()
    {
        var session = Session(TimeSpan.FromMinutes(10));

        await Refresher().ValidateAsync(session);

        Assert.Equal(0, _users.Calls);
        Assert.False(session.ShouldRenew);
    }

    [Fact]
    public async Task Requests_of_one_session_arriving_together_share_one_refresh_and_both_get_its_tokens()
    {
        var refresher = Refresher();
        var page = Session(TimeSpan.FromSeconds(30));
        var stream = Session(TimeSpan.FromSeconds(30));
        _users.Hold = new TaskCompletionSource();

        var both = Task.WhenAll(refresher.ValidateAsync(page), refresher.ValidateAsync(stream));
        _users.Hold.SetResult();
        await both;

        Assert.Equal(1, _users.Calls);
        Assert.All([page, stream], s =>
        {
            Assert.True(s.ShouldRenew);
            Assert.Equal("access-2", SessionTokens.AccessToken(s.Properties));
            Assert.Equal("refresh-2", SessionTokens.RefreshToken(s.Properties));
        });
    }

    [Fact]
    public async Task A_refused_refresh_ends_the_session()
    {
        _users.Answer = HttpStatusCode.Unauthorized;
        var session = Session(TimeSpan.FromSeconds(10));

        await Refresher().ValidateAsync(session);

        Assert.Null(session.Principal);
    }

    [Fact]
    public async Task A_user_service_that_does_not_answer_leaves_the_session_as_it_is_for_the_next_request()
    {
        _users.Fail = true;
        var session = Session(TimeSpan.FromSeconds(10));

        await Refresher().ValidateAsync(session);

        Assert.NotNull(session.Principal);
        Assert.Equal("access-1", SessionTokens.AccessToken(session.Properties));
        _users.Fail = false;
        await Refresher().ValidateAsync(session);
        Assert.Equal("access-2", SessionTokens.AccessToken(session.Properties));
    }

    private sealed class RefreshEndpoint : HttpMessageHandler
    {
        private int _calls;
        public int Calls => _calls;
        public TaskCompletionSource? Hold { get; set; }
        public HttpStatusCode Answer { get; set; } = HttpStatusCode.OK;
        public bool Fail { get; set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            if (Hold is not null)
                await Hold.Task;
            if (Fail)
                throw new HttpRequestException("connection refused");
            var body = Answer == HttpStatusCode.OK
                ? """{"accessToken":"access-2","tokenType":"Bearer","expiresIn":900,"refreshToken":"refresh-2","refreshExpiresIn":1209600}"""
                : """{"title":"Refresh failed","status":401,"detail":"sign in again"}""";
            return new HttpResponseMessage(Answer)
            {
                Content = new StringContent(body, Encoding.UTF8, Answer == HttpStatusCode.OK ? "application/json" : "application/problem+json"),
            };
        }
    }

    private sealed class NoAuthentication : IAuthenticationService
    {
        public Task<AuthenticateResult> AuthenticateAsync(HttpContext context, string? scheme) => Task.FromResult(AuthenticateResult.NoResult());
        public Task ChallengeAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => Task.CompletedTask;
        public Task ForbidAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => Task.CompletedTask;
        public Task SignInAsync(HttpContext context, string? scheme, ClaimsPrincipal principal, AuthenticationProperties? properties) => Task.CompletedTask;
        public Task SignOutAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => Task.CompletedTask;
    }
}
