namespace OrderX.Notifications.Email;

public sealed class EmailOptions
{
    public const string Section = "Email";

    /// <summary>
    /// The service's consumer lanes (<c>Messaging:ConsumerParallelBatches</c>, which still decides when set) while an
    /// SMTP host is configured: every e-mail of a batch waits on the server, and lanes let several batches wait at once.
    /// </summary>
    public const int SmtpConsumerLanes = 4;

    public string From { get; set; } = "OrderX <no-reply@orderx.local>";

    /// <summary>Every e-mail is also written here as an .eml file (default: the data folder's <c>mail/</c>).</summary>
    public string? OutboxDirectory { get; set; }

    /// <summary>When set, e-mails are sent through this SMTP server too.</summary>
    public string? SmtpHost { get; set; }
    public int SmtpPort { get; set; } = 25;
    public bool SmtpEnableSsl { get; set; }
    public string? SmtpUserName { get; set; }
    public string? SmtpPassword { get; set; }
}
