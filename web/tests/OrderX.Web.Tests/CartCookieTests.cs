using OrderX.Web.Cart;

namespace OrderX.Web.Tests;

public sealed class CartCookieTests
{
    [Fact]
    public void A_cart_survives_the_round_trip_through_its_cookie()
    {
        var cart = ShoppingCart.Empty().Add(Guid.NewGuid(), 2).Add(Guid.NewGuid(), 1);

        var read = CartCookie.Decode(CartCookie.Encode(cart));

        Assert.Equal(cart.Id, read.Id);
        Assert.Equal(cart.Lines, read.Lines);
        Assert.Equal(3, read.Count);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64 at all!")]
    [InlineData("eyJpZCI6MTJ9")] // {"id":12}
    public void A_cookie_that_cannot_be_read_is_an_empty_cart_not_an_error(string? value)
    {
        var cart = CartCookie.Decode(value);

        Assert.Empty(cart.Lines);
        Assert.NotEqual(Guid.Empty, cart.Id);
    }

    [Fact]
    public void A_tampered_cookie_is_held_to_the_cart_s_own_limits()
    {
        var product = Guid.NewGuid();
        var tampered = new ShoppingCart(Guid.NewGuid(),
        [
            new CartLine(product, 5000), new CartLine(Guid.Empty, 1), new CartLine(Guid.NewGuid(), -3),
            .. Enumerable.Range(0, 80).Select(_ => new CartLine(Guid.NewGuid(), 1)),
        ]);

        var read = CartCookie.Decode(CartCookie.Encode(tampered));

        Assert.Equal(ShoppingCart.MaxLines, read.Lines.Count);
        Assert.Equal(ShoppingCart.MaxQuantity, read.Lines.Single(l => l.ProductId == product).Quantity);
        Assert.All(read.Lines, l => Assert.True(l.Quantity > 0 && l.ProductId != Guid.Empty));
    }

    [Fact]
    public void Adding_the_same_product_again_adds_to_its_line_and_setting_zero_removes_it()
    {
        var product = Guid.NewGuid();

        var cart = ShoppingCart.Empty().Add(product, 2).Add(product, 3);
        Assert.Equal(5, Assert.Single(cart.Lines).Quantity);

        Assert.Empty(cart.Set(product, 0).Lines);
    }
}
