using OrderX.Web.Apis;

namespace OrderX.Web.Tests;

public sealed class LocalUrlsTests
{
    [Theory]
    [InlineData("/cart", "/cart")]
    [InlineData("/?q=beans&page=2", "/?q=beans&page=2")]
    [InlineData("//evil.example.com/", "/")]
    [InlineData("/\\evil.example.com", "/")]
    [InlineData("https://evil.example.com/", "/")]
    [InlineData("javascript:alert(1)", "/")]
    [InlineData(null, "/")]
    public void A_form_only_ever_sends_the_browser_back_to_this_site(string? given, string expected) =>
        Assert.Equal(expected, LocalUrls.Safe(given));
}
