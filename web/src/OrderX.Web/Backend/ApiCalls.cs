using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace OrderX.Web.Backend;

/// <summary>Sends a request to a service, as the signed-in customer when a token is given, and reads the answer.</summary>
public static class ApiCalls
{
    public static async Task<ApiResult<T>> SendAsync<T>(HttpClient http, HttpRequestMessage request, string? accessToken, CancellationToken cancellationToken)
    {
        if (accessToken is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode)
            return new(response.StatusCode == HttpStatusCode.NoContent ? default : await response.Content.ReadFromJsonAsync<T>(JsonSerializerOptions.Web, cancellationToken), null);
        return new(default, await ProblemAsync(response, cancellationToken));
    }

    public static async Task<ApiProblem> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        try
        {
            if (response.Content.Headers.ContentType?.MediaType is "application/problem+json" or "application/json"
                && await response.Content.ReadFromJsonAsync<ApiProblem>(JsonSerializerOptions.Web, cancellationToken) is { } problem)
                return problem with { Status = status };
        }
        catch (JsonException)
        {
            // Not a problem document after all: the status says enough.
        }
        return new ApiProblem(status, response.ReasonPhrase ?? "The request failed", null, null);
    }

    public static HttpRequestMessage Json(HttpMethod method, string path, object body) =>
        new(method, path) { Content = JsonContent.Create(body, options: JsonSerializerOptions.Web) };
}
