/**
 * Graphs of the mixing methods. Java draws ratios, permutations and masks; the graphs mix, train and update.
 *
 * <ul>
 *   <li>{@link org.automixonnx.mixup.MethodRegistry}: the training methods by name, each registered on one line of
 *       {@link org.automixonnx.mixup.StandardMethods} with its defaults, needs, options section and factory, which
 *       builds it from a {@link org.automixonnx.mixup.MethodContext} (docs/architecture.md).</li>
 *   <li>{@link org.automixonnx.mixup.SampleMixMethod}: every sample-level method (MixUp, CutMix, ManifoldMix, FMix,
 *       ResizeMix, SaliencyMix, GridMix) as one orchestration around the method's
 *       {@link org.automixonnx.mixup.MaskGenerator}, which draws the mask, the label weight and the mixing site.</li>
 *   <li>{@link org.automixonnx.mixup.SampleMixStep} ({@code student_step}, {@code student_step_l1|l2}): the
 *       train step shared by MixUp, CutMix, FMix, ResizeMix, SaliencyMix, GridMix (mask at the input),
 *       ManifoldMix (mask at a stage output), PuzzleMix (per-sample masks and ratios, transported partners) and
 *       AutoMix's classifier step (two heads).</li>
 *   <li>{@link org.automixonnx.mixup.PuzzleMix} ({@code saliency} + {@code student_step}): input-gradient saliency
 *       graph, then Java's {@link org.automixonnx.mixup.PuzzleMixer} (min-cut block labelling, block transport).</li>
 *   <li>{@link org.automixonnx.mixup.AutoMixStepGraphs} ({@code mixblock_step} + {@code student_step}): one AutoMix
 *       iteration; the teacher's EMA is done by Java between iterations over the pairs
 *       {@code teacher.<name>} / {@code <name>} of PARAMETER state.</li>
 *   <li>{@link org.automixonnx.mixup.MixBlock}: the mask generator inside {@code mixblock_step}.</li>
 *   <li>{@link org.automixonnx.mixup.FourHeadsEval} ({@code four_heads_eval}): both heads of one encoder.</li>
 * </ul>
 */
package org.automixonnx.mixup;
