using System.Text.Json;

namespace OrderX.Contracts.Tests;

public sealed class IntegrationEventNamesTests
{
    [Fact]
    public void No_two_events_claim_one_wire_name()
    {
        var claimed = IntegrationEvents.All.GroupBy(e => e.Name).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Event.Name))}");

        Assert.Empty(claimed);
    }

    [Fact]
    public void Every_event_of_the_library_is_listed_with_a_dotted_lower_case_name()
    {
        Assert.Equal(11, IntegrationEvents.All.Count);
        Assert.All(IntegrationEvents.All, e => Assert.Matches("^[a-z]+\\.[a-z]+$", e.Name));
    }

    [Fact]
    public void The_three_topics_of_the_original_flow_keep_their_names()
    {
        Assert.Equal("order.created", OrderCreated.EventType);
        Assert.Equal("payment.success", PaymentSucceeded.EventType);
        Assert.Equal("order.completed", OrderCompleted.EventType);
    }

    [Fact]
    public void An_order_event_has_its_order_id_as_subject_and_does_not_carry_the_subject_in_its_data()
    {
        var orderId = Guid.NewGuid();
        IIntegrationEvent completed = new OrderCompleted(orderId, Guid.NewGuid(), "a@example.com", 10m, "EUR");

        Assert.Equal(orderId.ToString(), completed.Subject);
        Assert.DoesNotContain("subject", JsonSerializer.Serialize((OrderCompleted)completed, ContractJson.Options), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void No_order_event_declares_a_subject_of_its_own_so_each_keeps_its_order_id_as_subject()
    {
        // A property named Subject (an e-mail's, say) would silently become the envelope's subject: the ordering key.
        var own = IntegrationEvents.All.Where(e => typeof(IOrderEvent).IsAssignableFrom(e.Event) && e.Event.GetProperty(nameof(IIntegrationEvent.Subject)) is not null)
            .Select(e => e.Event.Name);

        Assert.Empty(own);
    }
}
