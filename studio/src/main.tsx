import { createRoot } from "react-dom/client";
import { App } from "./shell/app";
import "./studio.css";

createRoot(document.getElementById("root")!).render(<App />);
