import { InferenceProvidersLoading } from "@/components/usage/page-loading";

export default InferenceProvidersLoading;
