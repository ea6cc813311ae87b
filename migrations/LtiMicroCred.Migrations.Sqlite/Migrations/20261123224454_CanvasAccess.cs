using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LtiMicroCred.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CanvasAccess : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "CanvasUserId",
                table: "People",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "CanvasConnections",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CanvasBaseUrl = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    CanvasUserId = table.Column<long>(type: "INTEGER", nullable: false),
                    PersonId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CanvasUserName = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    ProtectedAccessToken = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    ProtectedRefreshToken = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    AccessTokenExpiresAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RefreshLeaseId = table.Column<Guid>(type: "TEXT", nullable: true),
                    RefreshLeaseUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    ConnectedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CanvasConnections", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CanvasConnections_People_PersonId",
                        column: x => x.PersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_CanvasConnections_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "CanvasDeveloperKeys",
                columns: table => new
                {
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CanvasBaseUrl = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    ClientId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ProtectedClientSecret = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CanvasDeveloperKeys", x => x.TenantId);
                    table.ForeignKey(
                        name: "FK_CanvasDeveloperKeys_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CanvasConnections_PersonId",
                table: "CanvasConnections",
                column: "PersonId");

            migrationBuilder.CreateIndex(
                name: "IX_CanvasConnections_TenantId_CanvasBaseUrl_CanvasUserId",
                table: "CanvasConnections",
                columns: new[] { "TenantId", "CanvasBaseUrl", "CanvasUserId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CanvasConnections");

            migrationBuilder.DropTable(
                name: "CanvasDeveloperKeys");

            migrationBuilder.DropColumn(
                name: "CanvasUserId",
                table: "People");
        }
    }
}
