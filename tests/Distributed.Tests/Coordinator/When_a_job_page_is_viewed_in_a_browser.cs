using System.Net;
using Microsoft.Playwright;
using Pipeline.Coordinator.Api;
using Pipeline.Distributed.Tests.Support;
using Pipeline.Testing;

namespace Pipeline.Distributed.Tests.Coordinator;

/// <summary>The job page in headless Chromium (Debian's, driven by Playwright; no browser is downloaded): a browser
/// without the key gets the sign-in form and no image, a signed-in one sees every item with its images decoded and the
/// failed item's reason. Leaves a screenshot, job-page.png, in the test output folder.</summary>
public sealed class When_a_job_page_is_viewed_in_a_browser
{
    private static readonly int Size = CoordinatorWithTestWorkers.ImageSize;

    [ChromiumFact]
    public async Task Should_show_each_item_with_its_images_and_the_reason_of_a_failed_one_only_after_sign_in()
    {
        await using var coordinator = await CoordinatorWithTestWorkers.StartAsync();
        var job = await coordinator.RunAsync([TestImages.Png(1, Size, Size), TestImages.Png(2, Size, Size), TestImages.Png(3, 32, 32)]);
        var pagePath = $"jobs/{job.JobId}{JobPage.PathSuffix}";
        using var anonymous = coordinator.Http(withKey: false);
        var refusedPage = await anonymous.GetAsync(pagePath);
        var refusedImage = await anonymous.GetAsync($"jobs/{job.JobId}/items/0/png/final");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumFactAttribute.Executable, Headless = true, Args = ChromiumFactAttribute.Args,
        });
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(coordinator.Address, pagePath).AbsoluteUri);
        var beforeSignIn = await page.Locator("tr.item").CountAsync();
        await page.FillAsync("input[name=apiKey]", "not-the-key");
        await page.ClickAsync("button[type=submit]");
        var wrongKey = await page.Locator(".refused").CountAsync();
        await page.FillAsync("input[name=apiKey]", CoordinatorWithTestWorkers.ApiKey);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync($"**/{pagePath}");
        await page.WaitForLoadStateAsync(LoadState.Load);

        var rows = await page.Locator("tr.item").AllInnerTextsAsync();
        var images = await page.EvaluateAsync<int[][]>("() => Array.from(document.images).map(i => [i.complete ? 1 : 0, i.naturalWidth, i.naturalHeight])");
        var reason = await page.Locator("tr.item[data-index='2'] td.reason").InnerTextAsync();
        var cookies = await page.Context.CookiesAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "job-page.png"), FullPage = true });

        Assert.Equal(HttpStatusCode.Redirect, refusedPage.StatusCode);
        Assert.StartsWith("/login", refusedPage.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, refusedImage.StatusCode);
        Assert.Equal((0, 1), (beforeSignIn, wrongKey));
        Assert.Equal(3, rows.Count);
        Assert.Equal(2 * JobPage.Columns.Length, images.Length);
        Assert.All(images, i => Assert.True(i[0] == 1 && i[1] == Size && i[2] == Size, $"an image did not load ({i[1]}×{i[2]})"));
        Assert.Contains("32×32", reason);
        var session = Assert.Single(cookies, c => c.Name == PageSession.CookieName);
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);
        Assert.DoesNotContain(CoordinatorWithTestWorkers.ApiKey, session.Value);
        Assert.DoesNotContain(CoordinatorWithTestWorkers.ApiKey, page.Url);
    }
}
