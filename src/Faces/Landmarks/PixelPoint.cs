namespace Pipeline.Faces.Landmarks;

/// <summary>A landmark as dlib returns it: the nearest pixel centre (coordinates rounded half up).</summary>
public readonly record struct PixelPoint(int X, int Y);
