using Pipeline.Storage;

namespace Pipeline.Distributed.Tests.Storage;

/// <summary>The behaviour every <see cref="IBlobStore"/> owes its callers, checked against each implementation.</summary>
public static class BlobStoreSpecs
{
    public static async Task Should_store_read_back_and_skip_identical_writes(IBlobStore store, string prefix)
    {
        var name = $"{prefix}/stage/out.png";
        byte[] content = [1, 2, 3, 4, 5];

        var first = await store.PutAsync(name, content, "image/png", CancellationToken.None);
        var second = await store.PutAsync(name, content, "image/png", CancellationToken.None);
        var read = await store.GetAsync(first.Blob, CancellationToken.None);
        var stat = await store.TryGetRefAsync(name, CancellationToken.None);

        Assert.True(first.Written);
        Assert.False(second.Written);
        Assert.Equal(content, read);
        Assert.Equal(Sha256Hex.Of(content), first.Blob.Sha256);
        Assert.Equal(first.Blob.Sha256, stat!.Sha256);
        Assert.Equal(content.Length, stat.Length);
    }

    public static async Task Should_overwrite_different_bytes_under_the_same_name(IBlobStore store, string prefix)
    {
        var name = $"{prefix}/overwrite.bin";
        await store.PutAsync(name, new byte[] { 1 }, "application/octet-stream", CancellationToken.None);

        var second = await store.PutAsync(name, new byte[] { 2, 2 }, "application/octet-stream", CancellationToken.None);

        Assert.True(second.Written);
        Assert.Equal(new byte[] { 2, 2 }, await store.GetAsync(second.Blob, CancellationToken.None));
    }

    public static async Task Should_keep_the_first_bytes_when_putting_only_if_absent(IBlobStore store, string prefix)
    {
        var name = $"{prefix}/first.bin";
        var first = await store.PutIfAbsentAsync(name, new byte[] { 1 }, "application/octet-stream", CancellationToken.None);

        var same = await store.PutIfAbsentAsync(name, new byte[] { 1 }, "application/octet-stream", CancellationToken.None);
        var other = await store.PutIfAbsentAsync(name, new byte[] { 2, 2 }, "application/octet-stream", CancellationToken.None);
        var racing = await Task.WhenAll(Enumerable.Range(3, 4).Select(b =>
            store.PutIfAbsentAsync($"{prefix}/raced.bin", new[] { (byte)b }, "application/octet-stream", CancellationToken.None)));

        Assert.True(first.Written);
        Assert.Equal((false, first.Blob.Sha256), (same.Written, same.Blob.Sha256));
        Assert.Equal((false, first.Blob.Sha256), (other.Written, other.Blob.Sha256));
        Assert.Equal(new byte[] { 1 }, await store.GetAsync(other.Blob, CancellationToken.None));
        Assert.Single(racing, r => r.Written);
        Assert.All(racing, r => Assert.Equal(racing.Single(w => w.Written).Blob.Sha256, r.Blob.Sha256));
    }

    public static async Task Should_refuse_a_reference_whose_hash_does_not_match(IBlobStore store, string prefix)
    {
        var stored = await store.PutAsync($"{prefix}/hashed.bin", new byte[] { 9, 9, 9 }, "application/octet-stream", CancellationToken.None);

        var forged = stored.Blob with { Sha256 = new string('f', 64) };

        await Assert.ThrowsAsync<BlobIntegrityException>(() => store.GetAsync(forged, CancellationToken.None));
    }

    public static async Task Should_report_a_missing_blob_as_missing(IBlobStore store, string prefix)
    {
        var missing = new Contracts.BlobRef($"{prefix}/missing.png", new string('0', 64), 1, "image/png");

        await Assert.ThrowsAsync<BlobNotFoundException>(() => store.GetAsync(missing, CancellationToken.None));
        Assert.Null(await store.TryGetRefAsync(missing.Name, CancellationToken.None));
        Assert.Null(await store.TryOpenReadAsync(missing.Name, CancellationToken.None));
    }

    public static async Task Should_read_the_outputs_of_a_bundle_as_checked_slices(IBlobStore store, string prefix)
    {
        var bundle = new StageBundle.Writer($"{prefix}/invert/outputs.{StageBundle.Extension}");
        byte[] latent = [1, 2, 3], inversion = [4, 5, 6, 7], edited = [8, 9];
        var refs = new[] { bundle.Add(latent, "application/vnd.safetensors"), bundle.Add(inversion, "image/png"), bundle.Add(edited, "image/png") };
        await store.PutAsync(bundle.Name, bundle.Build("{}"u8), StageBundle.ContentType, CancellationToken.None);

        Assert.Equal(inversion, await store.GetAsync(refs[1], CancellationToken.None));
        var many = await BlobBatchReads.ReadAsync(store, [refs[2], refs[1]], CancellationToken.None);
        Assert.Equal([edited, inversion], new[] { many.Get(refs[2]), many.Get(refs[1]) });
        var forged = refs[2] with { Sha256 = refs[1].Sha256 };
        await Assert.ThrowsAsync<BlobIntegrityException>(() => store.GetAsync(forged, CancellationToken.None));
        // A damaged slice fails itself only; its neighbours in the same covering read still come back.
        var mixed = await BlobBatchReads.ReadAsync(store, [refs[0], forged], CancellationToken.None);
        Assert.Equal(latent, mixed.Get(refs[0]));
        Assert.Throws<BlobIntegrityException>(() => mixed.Get(forged));
        var pastTheEnd = refs[2] with { Offset = 1000 };
        await Assert.ThrowsAsync<BlobIntegrityException>(() => store.GetAsync(pastTheEnd, CancellationToken.None));
        var missing = refs[0] with { Name = $"{prefix}/nothing.{StageBundle.Extension}" };
        await Assert.ThrowsAsync<BlobNotFoundException>(() => store.GetAsync(missing, CancellationToken.None));
    }

    public static async Task Should_list_and_delete_a_folder_and_nothing_beside_it(IBlobStore store, string prefix)
    {
        var folder = $"{prefix}/{Guid.NewGuid():N}/";
        var sibling = $"{prefix}/{Guid.NewGuid():N}/kept.bin";
        string[] names = [$"{folder}items/000000/invert/outputs.bundle", $"{folder}items/000001/deghost/outputs.bundle", $"{folder}solo"];
        foreach (var name in names.Append(sibling))
            await store.PutAsync(name, new byte[] { 7 }, "application/octet-stream", CancellationToken.None);

        var listed = await store.ListAsync(folder, CancellationToken.None);
        var deleted = await store.DeleteFolderAsync(folder, CancellationToken.None);
        var again = await store.DeleteAsync(names[0], CancellationToken.None);

        Assert.Equal(names.Order(StringComparer.Ordinal), listed);
        Assert.Equal(3, deleted);
        Assert.False(again);
        Assert.Empty(await store.ListAsync(folder, CancellationToken.None));
        Assert.NotNull(await store.TryGetRefAsync(sibling, CancellationToken.None));
    }
}
