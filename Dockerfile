# The keystore image that runs inside a dstack CVM. Build from the repository root:
#   docker build -t near-tee-keystore .
# Reproducible inputs matter: the compose file pins this image by digest, and that digest is part of
# the compose hash that lands in RTMR3, which the DAO approves.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props Keystore.sln ./
COPY src/ src/
RUN dotnet publish src/Keystore/Keystore.csproj -c Release -o /app --no-self-contained \
    -p:ContinuousIntegrationBuild=true -p:Deterministic=true

FROM mcr.microsoft.com/dotnet/aspnet:10.0
RUN apt-get update && apt-get install -y --no-install-recommends libsecp256k1-1 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
# No key, secret or state is ever written inside the container.
ENV ASPNETCORE_URLS=http://0.0.0.0:8080 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
EXPOSE 8080
USER app
ENTRYPOINT ["dotnet", "Keystore.dll"]
