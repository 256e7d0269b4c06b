using Pipeline.Contracts;
using Pipeline.Hosting.Health;
using Pipeline.Hosting.Workers;
using Pipeline.Processing;

var builder = WebApplication.CreateBuilder(args);
builder.AddStageWorker(Stage.Deghost);
builder.Services.AddEditingProcessors(Stage.Deghost);

var app = builder.Build();
app.MapHealthEndpoints();
app.Run();
