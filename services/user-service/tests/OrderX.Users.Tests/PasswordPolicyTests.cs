using OrderX.Users.Identity;

namespace OrderX.Users.Tests;

public sealed class PasswordPolicyTests
{
    [Theory]
    [InlineData("bob@example.com123", "bob@example.com")]
    [InlineData("BOB@EXAMPLE.COM-and-more", "bob@example.com")]
    [InlineData("my-name-is-Bob-really", "bob@example.com")]
    [InlineData("xx ada.lovelace xx", "Ada.Lovelace@example.com")]
    public void A_password_containing_the_address_or_its_local_part_in_any_case_is_refused(string password, string email) =>
        Assert.Contains("e-mail address", PasswordPolicy.Check(password, email));

    [Theory]
    [InlineData("correct horse battery staple", "bob@example.com")]
    [InlineData("a long phrase with an a in it", "al@example.com")]
    public void A_long_password_without_the_address_is_accepted(string password, string email) =>
        Assert.Null(PasswordPolicy.Check(password, email));
}
