using System.Globalization;

namespace OrderX.Web.Components.Shared;

public static class Money
{
    /// <summary>"49.80 EUR": the amount as the API and the e-mails write it.</summary>
    public static string Format(decimal amount, string currency) => string.Create(CultureInfo.InvariantCulture, $"{amount:0.00} {currency}");
}
