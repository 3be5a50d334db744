import { createServer as createHttpServer, type Server } from "node:http";
import { createServer } from "node:net";

/** A local port nothing listens on: one the system gave a server that was closed again, so connecting is refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A web server that is not a Service Layer: every path answers 404 with an HTML page; `paths` lists what was asked. */
export async function notFoundServer(): Promise<{
  origin: string;
  paths: string[];
  server: Server;
  close(): Promise<void>;
}> {
  const paths: string[] = [];
  const server = createHttpServer((req, res) => {
    paths.push(`${req.method} ${req.url}`);
    res.writeHead(404, { "Content-Type": "text/html" });
    res.end("<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    origin: `http://127.0.0.1:${port}`,
    paths,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
