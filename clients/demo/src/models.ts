/**
 * What the demo offers. The prices mirror the gateway's defaults
 * (editflow.gateway.jobs.price-per-image, 2K ×1.5, 4K ×2) for the estimate shown before
 * submitting; the job's estimatedCostUsd, computed by the server, is the figure that counts.
 */
export interface Model {
  id: "fal-ai/nano-banana-pro/edit" | "fal-ai/nano-banana/edit" | "fal-ai/flux-pro/kontext";
  label: string;
  pricePerImage: number;
  resolutions: boolean;
  formats: ("png" | "jpeg" | "webp")[];
}

export const MODELS: Model[] = [
  { id: "fal-ai/nano-banana-pro/edit", label: "Nano Banana Pro", pricePerImage: 0.15, resolutions: true, formats: ["png", "jpeg", "webp"] },
  { id: "fal-ai/nano-banana/edit", label: "Nano Banana", pricePerImage: 0.039, resolutions: false, formats: ["png", "jpeg", "webp"] },
  { id: "fal-ai/flux-pro/kontext", label: "FLUX.1 Kontext [pro]", pricePerImage: 0.04, resolutions: false, formats: ["jpeg", "png"] },
];

export const ASPECT_RATIOS = ["auto", "1:1", "4:3", "3:4", "16:9", "9:16", "3:2", "2:3", "5:4", "4:5", "21:9"] as const;
export const RESOLUTIONS = ["1K", "2K", "4K"] as const;

export function estimate(model: Model, images: number, resolution: string): number {
  const factor = model.resolutions ? ({ "2K": 1.5, "4K": 2 } as Record<string, number>)[resolution] ?? 1 : 1;
  return model.pricePerImage * factor * images;
}
