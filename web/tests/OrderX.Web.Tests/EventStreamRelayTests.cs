using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using OrderX.Web.Apis;

namespace OrderX.Web.Tests;

public sealed class EventStreamRelayTests
{
    private static async Task<(HttpContext Context, string Sent)> RelayAsync(HttpResponseMessage upstream, Func<string?, string?, string, string?> translate)
    {
        var context = new DefaultHttpContext();
        var body = new MemoryStream();
        context.Response.Body = body;
        await EventStreamRelay.RelayAsync(_ => Task.FromResult(upstream), context, translate, CancellationToken.None);
        return (context, Encoding.UTF8.GetString(body.ToArray()));
    }

    private static HttpResponseMessage Stream(string text) =>
        new(HttpStatusCode.OK) { Content = new StringContent(text, Encoding.UTF8, "text/event-stream") };

    [Fact]
    public async Task Each_event_reaches_the_page_as_translated_with_its_type_id_and_data_and_others_are_left_out()
    {
        var seen = new List<(string?, string?, string)>();
        var upstream = Stream("retry: 2000\n\nid: 7\nevent: step\ndata: {\"a\":1}\n\nevent: other\ndata: x\n\nid: 8\nevent: step\ndata: {\"a\":2}\n\n");

        var (context, sent) = await RelayAsync(upstream, (type, id, data) =>
        {
            seen.Add((type, id, data));
            return type == "step" ? $"id: {id}\nevent: seen\ndata: {data}\n\n" : null;
        });

        Assert.Equal("text/event-stream", context.Response.ContentType);
        Assert.Equal([("step", "7", "{\"a\":1}"), ("other", null, "x"), ("step", "8", "{\"a\":2}")], seen);
        Assert.Equal("retry: 2000\n\nid: 7\nevent: seen\ndata: {\"a\":1}\n\nid: 8\nevent: seen\ndata: {\"a\":2}\n\n", sent);
    }

    [Fact]
    public async Task A_keep_alive_is_passed_on_so_the_proxies_in_between_keep_the_stream_open()
    {
        var (_, sent) = await RelayAsync(Stream(": keep-alive\n\n"), (_, _, _) => throw new InvalidOperationException("no event was sent"));

        Assert.Equal("retry: 2000\n\n: keep-alive\n\n", sent);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public async Task A_refusal_upstream_is_passed_on_as_its_status_with_no_stream(HttpStatusCode status)
    {
        var (context, sent) = await RelayAsync(new HttpResponseMessage(status), (_, _, _) => "never");

        Assert.Equal((int)status, context.Response.StatusCode);
        Assert.Equal("", sent);
        Assert.NotEqual("text/event-stream", context.Response.ContentType);
    }

    [Fact]
    public async Task A_service_that_does_not_answer_is_a_503_the_page_tries_again_after()
    {
        var context = new DefaultHttpContext();

        await EventStreamRelay.RelayAsync(_ => throw new HttpRequestException("Connection refused"), context, (_, _, _) => "never", CancellationToken.None);

        Assert.Equal(503, context.Response.StatusCode);
        Assert.Equal("5", context.Response.Headers.RetryAfter.ToString());
    }
}
