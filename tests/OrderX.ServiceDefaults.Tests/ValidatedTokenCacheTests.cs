using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OrderX.ServiceDefaults.Auth;
using OrderX.Testing;

namespace OrderX.ServiceDefaults.Tests;

public sealed class ValidatedTokenCacheTests
{
    private static readonly RsaSecurityKey Key = new(RSA.Create(2048));
    private static readonly TimeSpan Remember = TimeSpan.FromMinutes(1);

    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private readonly CountingHandler _inner = new();
    private readonly ValidatedTokenCache _cache;

    public ValidatedTokenCacheTests() => _cache = new ValidatedTokenCache(_inner, _clock, Remember, capacity: 100);

    private static TokenValidationParameters Parameters => new()
    {
        ValidIssuer = TestTokens.Issuer,
        ValidAudience = TestTokens.Audience,
        IssuerSigningKey = Key,
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        RequireExpirationTime = true,
        RequireSignedTokens = true,
    };

    [Fact]
    public async Task A_token_validated_once_is_answered_again_without_checking_its_signature_each_time_with_its_own_identity()
    {
        var subject = Guid.NewGuid();
        var token = TestTokens.Mint(Key, subject: subject);

        var first = await _cache.ValidateTokenAsync(token, Parameters);
        var second = await _cache.ValidateTokenAsync(token, Parameters);
        var third = await _cache.ValidateTokenAsync(token, Parameters);

        Assert.Equal(1, _inner.Calls);
        Assert.All([first, second, third], r => Assert.True(r.IsValid));
        Assert.All([second, third], r => Assert.Equal(subject.ToString(), r.ClaimsIdentity.FindFirst(OrderXClaims.Subject)?.Value));
        second.ClaimsIdentity.AddClaim(new Claim("added-by-one-request", "x"));
        Assert.Null(third.ClaimsIdentity.FindFirst("added-by-one-request"));
        Assert.Null((await _cache.ValidateTokenAsync(token, Parameters)).ClaimsIdentity.FindFirst("added-by-one-request"));
    }

    [Fact]
    public async Task A_remembered_token_is_checked_again_once_the_remembering_time_has_passed()
    {
        var token = TestTokens.Mint(Key);
        await _cache.ValidateTokenAsync(token, Parameters);

        _clock.Advance(Remember + TimeSpan.FromSeconds(1));
        Assert.True((await _cache.ValidateTokenAsync(token, Parameters)).IsValid);

        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public async Task A_token_is_never_answered_from_memory_past_its_expiry()
    {
        var token = TestTokens.Mint(Key, lifetime: TimeSpan.FromSeconds(20));
        await _cache.ValidateTokenAsync(token, Parameters);

        _clock.Advance(TimeSpan.FromSeconds(21));
        await _cache.ValidateTokenAsync(token, Parameters);

        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public async Task An_invalid_token_is_checked_and_refused_every_time_and_a_forgery_of_a_remembered_one_is_refused()
    {
        var token = TestTokens.Mint(Key);
        Assert.True((await _cache.ValidateTokenAsync(token, Parameters)).IsValid);
        var forged = TokenTampering.WithClaim(token, OrderXClaims.Role, OrderXRoles.Admin);

        var refusals = new[] { await _cache.ValidateTokenAsync(forged, Parameters), await _cache.ValidateTokenAsync(forged, Parameters) };

        Assert.All(refusals, r => Assert.False(r.IsValid));
        Assert.Equal(3, _inner.Calls);
    }

    [Fact]
    public async Task A_full_memory_starts_again_and_still_answers_every_token_rightly()
    {
        var cache = new ValidatedTokenCache(_inner, _clock, Remember, capacity: 2);
        string[] tokens = [TestTokens.Mint(Key), TestTokens.Mint(Key), TestTokens.Mint(Key)];

        foreach (var token in tokens.Append(tokens[2]).Append(tokens[0]))
            Assert.True((await cache.ValidateTokenAsync(token, Parameters)).IsValid);

        // The third token found the memory full: it started again with the third alone, which is then answered
        // from memory, and the first is checked again.
        Assert.Equal(4, _inner.Calls);
    }

    private sealed class CountingHandler : TokenHandler
    {
        private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            Interlocked.Increment(ref _calls);
            return _handler.ValidateTokenAsync(token, validationParameters);
        }
    }
}
