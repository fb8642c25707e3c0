using System.Security.Cryptography;
using System.Text;

namespace OrderX.Notifications.IntegrationEvents;

/// <summary>
/// A notification's id follows from its order and kind (a name-based UUID, version 8), so a redelivery after a crash
/// between the e-mail and the commit builds the same notification again: the same .eml file name and the same
/// Message-ID, which lets the mailbox and SMTP receivers keep one copy.
/// </summary>
public static class NotificationIds
{
    public static Guid For(Guid orderId, string kind)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes($"orderx-notification:{orderId:N}:{kind}"), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(bytes, bigEndian: true);
    }
}
