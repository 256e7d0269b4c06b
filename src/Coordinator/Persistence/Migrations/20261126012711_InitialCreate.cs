using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Pipeline.Coordinator.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "items",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    job_id = table.Column<Guid>(type: "uuid", nullable: false),
                    index = table.Column<int>(type: "integer", nullable: false),
                    state = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    source = table.Column<string>(type: "text", nullable: false),
                    edits = table.Column<string>(type: "text", nullable: false),
                    options = table.Column<string>(type: "text", nullable: false),
                    latent = table.Column<string>(type: "text", nullable: true),
                    inversion = table.Column<string>(type: "text", nullable: true),
                    edited = table.Column<string>(type: "text", nullable: false),
                    mask = table.Column<string>(type: "text", nullable: true),
                    composite = table.Column<string>(type: "text", nullable: true),
                    final = table.Column<string>(type: "text", nullable: true),
                    failed_stage = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    failure_reason = table.Column<string>(type: "text", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_items", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "jobs",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    state = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    total = table.Column<int>(type: "integer", nullable: false),
                    dispatched = table.Column<int>(type: "integer", nullable: false),
                    completed = table.Column<int>(type: "integer", nullable: false),
                    failed = table.Column<int>(type: "integer", nullable: false),
                    cancelled = table.Column<int>(type: "integer", nullable: false),
                    max_in_flight = table.Column<int>(type: "integer", nullable: false),
                    cancel_requested = table.Column<bool>(type: "boolean", nullable: false),
                    finished_items = table.Column<byte[]>(type: "bytea", nullable: false),
                    recent_dispatches = table.Column<string>(type: "text", nullable: false),
                    edits = table.Column<string>(type: "text", nullable: false),
                    options = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_jobs", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_items_job_id_index",
                table: "items",
                columns: new[] { "job_id", "index" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_items_job_id_state",
                table: "items",
                columns: new[] { "job_id", "state" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "items");

            migrationBuilder.DropTable(
                name: "jobs");
        }
    }
}
