namespace Pipeline.Editing.Outputs;

/// <summary>One face of a photo as <c>pipeline align --json</c> and item.json write it, in source pixels (pixel centres at
/// integer coordinates): dlib-like box [left, top, right, bottom] (inclusive), dlib's 68 landmarks [[x, y]…], and the
/// FFHQ quad [[x, y]…4] (top-left, bottom-left, bottom-right, top-right of the face).</summary>
public sealed record FaceRecord(int[] Box, int[][] Landmarks, double[][] Quad);

/// <summary>The faces of one photo that was aligned, edited and pasted back: its size, its faces (largest first) and
/// what was left out.</summary>
public sealed record PhotoFacesRecord(int Width, int Height, IReadOnlyList<FaceRecord> Faces, IReadOnlyList<string> Notes);
